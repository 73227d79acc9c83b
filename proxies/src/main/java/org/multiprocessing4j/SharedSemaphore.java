package org.multiprocessing4j;

import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore held by a manager (Python's {@code Manager().Semaphore(n)} and {@code
 * BoundedSemaphore(n)}), with the method names of {@link java.util.concurrent.Semaphore}. Acquirers
 * wait on the manager in FIFO order, without costing it a thread; a timed or interrupted wait is
 * withdrawn there, so a permit is never granted to an acquirer that gave up.
 *
 * <p>A <em>bounded</em> semaphore ({@code Manager.boundedSemaphore}) refuses to be released past
 * its initial value: {@link #release()} then throws {@link IllegalStateException} (Python raises
 * {@code ValueError}) and nothing changes. A plain semaphore may be released any number of times.
 *
 * <p>Ownership rule: permits have no owner (any process may release), but the manager remembers how
 * many permits each client session acquired and has not released itself. When that session ends
 * (its client closed it, crashed or was killed), those permits are released and waiters proceed;
 * Python keeps them taken forever. The release stops where the permits available plus those held by
 * live sessions reach the initial value, so nothing is released twice: not a permit another process
 * already released on the dead one's behalf, nor one of a semaphore used as a <em>signal</em>
 * (released by one process, acquired by another).
 *
 * <p>Thread-safe.
 */
public interface SharedSemaphore extends SharedObject {

  /** Takes a permit, waiting as long as needed. */
  void acquire() throws InterruptedException;

  /**
   * Takes a permit, waiting as long as needed. An interrupt does not end the wait, nor move it back
   * in the queue; the interrupt status is set on return.
   */
  void acquireUninterruptibly();

  /** Takes a permit if one is available now. */
  boolean tryAcquire();

  /** Takes a permit, waiting at most {@code timeout}; false if none came in time. */
  boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Python's {@code acquire(blocking=True, timeout=None)}: a negative timeout waits forever.
   *
   * @throws IllegalArgumentException if {@code blocking} is false and a timeout is given (>= 0)
   */
  boolean acquire(boolean blocking, long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Returns a permit; the longest waiter, if any, gets it.
   *
   * @throws IllegalStateException if a bounded semaphore would exceed its bound
   */
  void release();

  /**
   * Returns {@code permits} permits at once (Python 3.9's {@code release(n)}).
   *
   * @throws IllegalArgumentException if {@code permits < 1}
   * @throws IllegalStateException if a bounded semaphore would exceed its bound (nothing changes)
   */
  void release(int permits);

  /** Permits available now (Python's proxy has no such method). One round trip. */
  int availablePermits();

  /**
   * Acquires a permit for a try-with-resources block, {@code try (var held = sem.hold()) {...}};
   * closing releases it.
   */
  SharedLock.Held hold();
}
