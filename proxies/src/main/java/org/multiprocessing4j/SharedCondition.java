package org.multiprocessing4j;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;

/**
 * A condition variable held by a manager (Python's {@code Manager().Condition(lock)}), bound to a
 * {@link SharedLock}: a lock from {@code Manager.lock()} or {@code Manager.rlock()}, or a new rlock
 * ({@code Manager.condition()}, Python's default). Hold {@link #getLock()} to wait or signal.
 *
 * <p>{@code await} releases the lock and starts waiting in one atomic step on the manager (all
 * holds of an rlock, restored afterwards), so no signal sent after the release can be missed; it
 * re-acquires the lock before returning, whether it was signalled, timed out or interrupted. A
 * signalled wait costs two round trips (the wait, then the re-acquisition). Waiting costs the
 * manager no thread; a timed-out or interrupted wait is withdrawn there, so a signal is never spent
 * on a waiter that gave up. The boolean returned by {@link #await(long,
 * java.util.concurrent.TimeUnit)} is Python's: true if signalled, false if the timeout elapsed.
 * {@link #awaitUninterruptibly()} is not withdrawn by an interrupt: it keeps its place among the
 * waiters until signalled, then re-acquires the lock and returns with the interrupt status set.
 *
 * <p>Calling {@code await} or {@code signal} without holding the lock throws {@link
 * IllegalMonitorStateException} (Python raises {@code RuntimeError}). For a plain (non-reentrant)
 * lock, "holding" means it is locked, as in Python.
 *
 * <p>Thread-safe. Memory consistency effects: those of the lock.
 */
public interface SharedCondition extends Condition, SharedObject {

  /** The lock this condition is bound to. Fetched once, then cached. */
  SharedLock getLock();

  /** Locks {@link #getLock()} for a try-with-resources block; closing unlocks. */
  SharedLock.Held hold();

  /** Wakes up to {@code n} waiters (Python's {@code notify(n)}). Needs the lock. */
  void signal(int n);

  /**
   * Python's {@code wait_for(predicate, timeout)}: evaluates {@code predicate} here, in the calling
   * process, and waits (releasing the lock) until it is true or {@code timeout} elapsed. Needs the
   * lock; holds it again on return.
   *
   * @return the last value of the predicate
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException;

  /** {@link #waitFor(BooleanSupplier, Duration)} without a timeout. */
  void waitFor(BooleanSupplier predicate) throws InterruptedException;
}
