package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedCondition;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.spi.TypeIds;

/** Spec §4.2 (Lock / RLock) cases 9–13, plus ownership, session-end release and cancellation. */
// the tests call lock, await and unlock one by one: each call is what is checked
@SuppressWarnings({"LockNotBeforeTry", "WaitNotInLoop"})
abstract class LockConformanceTest extends SyncConformanceBase {

  // --- case 9: test_lock

  @Test
  void lock_acquireReleaseAndDoubleRelease() throws Exception {
    SharedLock lock = m.lock();
    assertTrue(lock.acquire(true, -1, TimeUnit.SECONDS));
    assertFalse(lock.acquire(false, -1, TimeUnit.SECONDS));
    assertFalse(lock.tryLock());
    assertTrue(lock.isLocked());
    lock.release();
    assertFalse(lock.isLocked());
    assertThrows(IllegalMonitorStateException.class, lock::release);
  }

  // --- case 10: test_rlock

  @Test
  void rlock_reentersAndCountsReleases() throws Exception {
    SharedLock rlock = m.rlock();
    assertTrue(rlock.acquire(true, -1, TimeUnit.SECONDS));
    assertTrue(rlock.tryLock());
    rlock.lock();
    assertTrue(rlock.isLocked());
    rlock.unlock();
    rlock.unlock();
    assertTrue(rlock.isLocked(), "still held once");
    rlock.unlock();
    assertFalse(rlock.isLocked());
    assertThrows(IllegalMonitorStateException.class, rlock::unlock);
  }

  // --- case 11: test_lock_context / test_rlock_context

  @Test
  void hold_locksForTheBlock() {
    for (SharedLock lock : new SharedLock[] {m.lock(), m.rlock()}) {
      try (SharedLock.Held held = lock.hold()) {
        assertTrue(held != null && lock.isLocked());
      }
      assertFalse(lock.isLocked());
    }
  }

  // --- case 12: test_lock (TestSyncManagerTypes): a Lock has no owner

  @Test
  void lock_acquiredByOneProcessReleasedByAnother() throws Exception {
    SharedLock o = m.lock();
    Manager child = newClient();
    via(child, o).lock(); // the child keeps its session open: see sessionEnd_* for exit
    o.release();
    assertThrows(IllegalMonitorStateException.class, o::release);
  }

  // --- case 13: test_rlock (TestSyncManagerTypes)

  @Test
  void rlock_childAcquiresAndReleases() throws Exception {
    SharedLock o = m.rlock();
    join(
        startProcess(
            client -> {
              SharedLock co = via(client, o);
              co.lock();
              assertTrue(co.isLocked());
              co.unlock();
            }));
    assertFalse(o.isLocked());
  }

  // --- §3.7 RLock ownership: (client process, client thread)

  @Test
  void rlock_otherThreadOrProcessCannotAcquireOrRelease() throws Exception {
    SharedLock rlock = m.rlock();
    rlock.lock();
    // Another thread of this process.
    join(
        startThread(
            client -> {
              assertFalse(rlock.tryLock(SHORT.toMillis(), TimeUnit.MILLISECONDS));
              IllegalMonitorStateException e =
                  assertThrows(IllegalMonitorStateException.class, rlock::unlock);
              assertTrue(e.getMessage().contains("another"), e.getMessage());
            }));
    // Another process.
    join(
        startProcess(
            client -> {
              SharedLock other = via(client, rlock);
              assertFalse(other.tryLock());
              assertThrows(IllegalMonitorStateException.class, other::unlock);
            }));
    rlock.unlock();
    assertFalse(rlock.isLocked());
  }

  @Test
  void lock_isNotReentrant() throws Exception {
    SharedLock lock = m.lock();
    lock.lock();
    assertFalse(lock.tryLock(SHORT.toMillis(), TimeUnit.MILLISECONDS));
    lock.unlock();
  }

  @Test
  void acquire_nonBlockingWithTimeoutIsRefused() {
    SharedLock lock = m.lock();
    assertThrows(IllegalArgumentException.class, () -> lock.acquire(false, 1, TimeUnit.SECONDS));
    assertFalse(lock.isLocked());
  }

  @Test
  void tryLock_timesOutOnTheManager() throws Exception {
    for (SharedLock lock : new SharedLock[] {m.lock(), m.rlock()}) {
      Manager child = newClient();
      via(child, lock).lock();
      long start = System.nanoTime();
      assertFalse(lock.tryLock(SHORT.toMillis(), TimeUnit.MILLISECONDS));
      assertTrue(millisSince(start) >= SHORT.toMillis());
      assertFalse(lock.acquire(true, 0, TimeUnit.SECONDS));
      child.close();
    }
  }

  // --- waiters and hand-off

  @Test
  void lock_waiterGetsTheLockOnRelease() throws Exception {
    for (SharedLock lock : new SharedLock[] {m.lock(), m.rlock()}) {
      lock.lock();
      CountDownLatch waiting = new CountDownLatch(1);
      Future<?> waiter =
          startProcess(
              client -> {
                SharedLock mine = via(client, lock);
                waiting.countDown();
                mine.lock();
                mine.unlock();
              });
      waiting.await();
      QueueConformanceTest.waitUntil(() -> lock.toString().contains("1 waiting"));
      lock.unlock();
      join(waiter);
      assertFalse(lock.isLocked());
    }
  }

  @Test
  void lockInterruptibly_interruptedWaiterIsNeverGranted() throws Exception {
    for (SharedLock lock : new SharedLock[] {m.lock(), m.rlock()}) {
      Manager holderProcess = newClient();
      SharedLock held = via(holderProcess, lock);
      held.lock();
      assertInterruptedWhileParked(
          () -> lock.lockInterruptibly(), () -> lock.toString().contains("1 waiting"));
      held.unlock();
      assertFalse(lock.isLocked(), "the withdrawn waiter was not handed the lock");
      holderProcess.close();
    }
  }

  @Test
  void lock_interruptDoesNotEndAnUninterruptibleWait() throws Exception {
    SharedLock lock = m.lock();
    Manager holderProcess = newClient();
    SharedLock held = via(holderProcess, lock);
    held.lock();
    assertWaitsThroughAnInterrupt(
        lock::lock, () -> lock.toString().contains("1 waiting"), held::unlock);
    lock.unlock(); // the waiter's hold: a lock has no owner
    holderProcess.close();
  }

  @Test
  void lock_interruptedWaiterKeepsItsPlaceInTheQueue() throws Exception {
    for (SharedLock lock : new SharedLock[] {m.lock(), m.rlock()}) {
      Manager holderProcess = newClient();
      SharedLock held = via(holderProcess, lock);
      held.lock();
      assertKeepsItsPlaceThroughInterrupts(
          lock::lock,
          () -> {},
          client -> {
            SharedLock theirs = via(client, lock);
            theirs.lock();
            theirs.unlock();
          },
          n -> lock.toString().endsWith(", " + n + " waiting>"),
          held::unlock,
          lock::unlock);
      assertFalse(lock.isLocked());
      holderProcess.close();
    }
  }

  /** The re-acquisition that ends a wait on a condition is an uninterruptible lock() too. */
  @Test
  void awaitUninterruptibly_interruptedReacquisitionKeepsItsPlaceInTheLocksQueue()
      throws Exception {
    for (SharedLock lock : new SharedLock[] {m.lock(), m.rlock()}) {
      SharedCondition cond = (SharedCondition) lock.newCondition();
      Manager signallerProcess = newClient();
      SharedLock signallerLock = via(signallerProcess, lock);
      SharedCondition signaller = via(signallerProcess, cond);
      assertKeepsItsPlaceThroughInterrupts(
          () -> {
            lock.lock();
            cond.awaitUninterruptibly();
          },
          () -> {
            // Signalled while the signaller holds the lock: the waiter queues to re-acquire it.
            waitUntil(() -> cond.toString().endsWith(", 1 waiting>"));
            signallerLock.lock();
            signaller.signal();
          },
          client -> {
            SharedLock theirs = via(client, lock);
            theirs.lock();
            theirs.unlock();
          },
          n -> lock.toString().endsWith(", " + n + " waiting>"),
          signallerLock::unlock,
          lock::unlock);
      assertFalse(lock.isLocked());
      signallerProcess.close();
    }
  }

  // --- ownership rule: a session's locks are released when it ends

  @Test
  void sessionEnd_releasesLockAndRlockAndWaitersProceed() throws Exception {
    for (SharedLock lock : new SharedLock[] {m.lock(), m.rlock()}) {
      Manager dying = newClient();
      SharedLock held = via(dying, lock);
      held.lock();
      if (lock.typeId().equals(TypeIds.RLOCK)) {
        held.lock(); // twice: all holds go
      }
      Future<?> waiter =
          startProcess(
              client -> {
                assertTrue(via(client, lock).tryLock(LONG.toMillis(), TimeUnit.MILLISECONDS));
              });
      QueueConformanceTest.waitUntil(() -> lock.toString().contains("1 waiting"));
      dying.close(); // the process exits without unlocking
      join(waiter);
      assertTrue(lock.isLocked(), "now held by the waiter");
    }
  }

  @Test
  void sessionEnd_ofANonHolderLeavesTheLockAlone() throws Exception {
    SharedLock lock = m.lock();
    Manager bystander = newClient();
    via(bystander, lock).isLocked();
    lock.lock();
    bystander.close();
    assertTrue(lock.isLocked());
    lock.unlock();
  }

  @Test
  void newCondition_isBoundToThisLock() throws Exception {
    SharedLock lock = m.rlock();
    java.util.concurrent.locks.Condition condition = lock.newCondition();
    assertTrue(condition instanceof SharedCondition);
    assertEquals(lock, ((SharedCondition) condition).getLock());
    lock.lock();
    assertFalse(condition.await(0, TimeUnit.MILLISECONDS));
    assertTrue(lock.isLocked(), "await re-acquired the lock");
    lock.unlock();
  }
}
