package org.multiprocessing4j;

import java.util.List;

/**
 * A fixed-length typed array held by a manager (Python's {@code Manager().Array('i', ...)}). The
 * element type is fixed at creation ({@code Integer} for {@code int[]}, {@code Double} for {@code
 * double[]}, and so on); storing another type throws {@link ClassCastException}, an index out of
 * range {@link IndexOutOfBoundsException}. Each method is one round trip.
 *
 * <p>Thread-safe.
 */
public interface SharedArray<E> extends SharedObject, Iterable<E> {

  int length();

  E get(int index);

  void set(int index, E value);

  /** Adds {@code delta} to element {@code index} and returns the new value, atomically. */
  E addAndGet(int index, E delta);

  /** A copy of elements {@code [from, to)} (Python's {@code a[from:to]}). */
  List<E> slice(int from, int to);

  /** Overwrites elements starting at {@code from} with {@code values}, atomically. */
  void setSlice(int from, List<? extends E> values);

  /** A copy of the whole array. Iteration walks such a copy (one round trip). */
  List<E> toList();

  /** The lock that guards this array by convention, shared by every proxy of it. */
  SharedLock getLock();
}
