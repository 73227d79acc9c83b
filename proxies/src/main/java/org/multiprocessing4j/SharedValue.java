package org.multiprocessing4j;

/**
 * A single value held by a manager (Python's {@code Manager().Value}). {@code get} and {@code set}
 * are one round trip each; {@code get} then {@code set} is <em>not</em> atomic. For read-modify-
 * write either hold {@link #getLock()} or use the atomic operations, which run on the manager in
 * one round trip: {@link #addAndGet}, {@link #getAndAdd}, {@link #compareAndSet}, {@link
 * #getAndSet}.
 *
 * <p>The arithmetic operations need a numeric value ({@code Integer}, {@code Long}, {@code Short},
 * {@code Byte}, {@code Double}, {@code Float}, {@code BigInteger}, {@code BigDecimal}); the result
 * keeps the stored value's type, and integer overflow throws {@link ArithmeticException} rather
 * than wrapping. On any other value they throw {@link ClassCastException}.
 *
 * <p>Thread-safe.
 */
public interface SharedValue<T> extends SharedObject {

  T get();

  void set(T value);

  /** Sets the value and returns the previous one, atomically. */
  T getAndSet(T value);

  /** Sets {@code update} if the value equals {@code expected}; atomic on the manager. */
  boolean compareAndSet(T expected, T update);

  /** Adds {@code delta} and returns the new value, atomically. */
  T addAndGet(T delta);

  /** Adds {@code delta} and returns the previous value, atomically. */
  T getAndAdd(T delta);

  /**
   * The lock that guards this value by convention (Python's {@code get_lock()}): the same lock for
   * every proxy of this value, in every process. The first call costs one round trip.
   */
  SharedLock getLock();

  /**
   * The pipelined view of this value: the same operations, sent without waiting for each reply.
   * Costs nothing to obtain; keeps this proxy reachable.
   */
  AsyncSharedValue<T> async();
}
