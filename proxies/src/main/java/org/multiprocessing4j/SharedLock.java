package org.multiprocessing4j;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

/**
 * A lock held by a manager, usable across processes (Python's {@code Manager().Lock()}). Not
 * reentrant: a second {@code lock()} by the holder blocks. Like Python's lock it has no owner for
 * release: any thread of any process may {@code unlock()} it; unlocking an unlocked lock throws
 * {@link IllegalMonitorStateException}.
 *
 * <p>A lock from {@code Manager.rlock()} is reentrant instead (Python's {@code RLock()}): it is
 * owned by the client thread that acquired it, in that thread's process; the owner may acquire it
 * again and must release it as many times, and only the owner may release it (others get {@link
 * IllegalMonitorStateException}).
 *
 * <p>Waiting costs the manager no thread. A timed or interrupted wait is cancelled on the manager,
 * so a lock is never granted to a waiter that gave up. {@link #lock()} is not interrupted: as a
 * {@code ReentrantLock}'s, it keeps its place in the queue and returns with the interrupt status
 * set.
 *
 * <p>Ownership rule: if the session that acquired the lock ends (its client closed, crashed, or was
 * killed), the manager releases the lock and the next waiter proceeds. Python leaves it locked.
 *
 * <p>Thread-safe.
 */
public interface SharedLock extends Lock, SharedObject {

  /** Python's {@code acquire(blocking=True, timeout=-1)}; a negative timeout waits forever. */
  boolean acquire(boolean blocking, long timeout, TimeUnit unit) throws InterruptedException;

  /** Python's {@code release()}: same as {@link #unlock()}. */
  void release();

  /** True if some holder has the lock. */
  boolean isLocked();

  /**
   * Acquires the lock for a try-with-resources block: {@code try (var held = lock.hold()) {...}}.
   */
  Held hold();

  /** A held lock; closing it unlocks. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
