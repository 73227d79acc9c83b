package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedSemaphore;

/** Spec §4.3 (Semaphore / BoundedSemaphore) cases 14–16, plus session release and cancellation. */
abstract class SemaphoreConformanceTest extends SyncConformanceBase {

  // --- case 14: test_semaphore

  @Test
  void semaphore_countsDownAndUpPastItsInitialValue() throws Exception {
    SharedSemaphore sem = m.semaphore(2);
    assertTrue(sem.acquire(true, -1, TimeUnit.SECONDS));
    assertEquals(1, sem.availablePermits());
    sem.acquire();
    assertEquals(0, sem.availablePermits());
    assertFalse(sem.acquire(false, -1, TimeUnit.SECONDS));
    assertFalse(sem.tryAcquire());
    for (int expected = 1; expected <= 4; expected++) {
      sem.release();
      assertEquals(expected, sem.availablePermits());
    }
  }

  // --- case 15: test_bounded_semaphore (and the observed over-release error)

  @Test
  void boundedSemaphore_refusesToBeReleasedPastItsBound() throws Exception {
    SharedSemaphore sem = m.boundedSemaphore(2);
    sem.acquire();
    sem.acquire();
    assertFalse(sem.tryAcquire());
    sem.release();
    sem.release();
    assertEquals(2, sem.availablePermits());
    IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
    assertTrue(e.getMessage().contains("too many"), e.getMessage());
    assertEquals(2, sem.availablePermits(), "nothing changed");
    sem.acquire();
    assertThrows(IllegalStateException.class, () -> sem.release(2));
    assertEquals(1, sem.availablePermits());
  }

  // --- case 16: test_semaphore / test_bounded_semaphore (TestSyncManagerTypes)

  @Test
  void semaphore_childAcquiresParentReleases() throws Exception {
    for (SharedSemaphore o : new SharedSemaphore[] {m.semaphore(1), m.boundedSemaphore(1)}) {
      Manager child = newClient();
      via(child, o).acquire();
      assertEquals(0, o.availablePermits());
      o.release();
      assertEquals(1, o.availablePermits());
      child.close();
      assertEquals(1, o.availablePermits(), "the child's permit was released by the parent");
    }
  }

  // --- §3.7 details

  @Test
  void acquire_nonBlockingWithTimeoutIsRefused() {
    SharedSemaphore sem = m.semaphore(1);
    assertThrows(
        IllegalArgumentException.class, () -> sem.acquire(false, 100, TimeUnit.MILLISECONDS));
    assertEquals(1, sem.availablePermits());
  }

  @Test
  void semaphore_badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> m.semaphore(-1));
    assertThrows(IllegalArgumentException.class, () -> m.boundedSemaphore(-1));
    SharedSemaphore sem = m.semaphore(0);
    assertThrows(IllegalArgumentException.class, () -> sem.release(0));
  }

  @Test
  void tryAcquire_timesOutOnTheManager() throws Exception {
    SharedSemaphore sem = m.semaphore(0);
    long start = System.nanoTime();
    assertFalse(sem.tryAcquire(SHORT.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(millisSince(start) >= SHORT.toMillis());
    assertFalse(sem.acquire(true, 0, TimeUnit.SECONDS));
    sem.release();
    assertEquals(1, sem.availablePermits(), "the timed-out acquirer took nothing");
  }

  @Test
  void release_handsThePermitToTheLongestWaiter() throws Exception {
    SharedSemaphore sem = m.semaphore(0);
    Future<?> first = startProcess(client -> via(client, sem).acquire());
    QueueConformanceTest.waitUntil(() -> sem.toString().contains("1 waiting"));
    Future<?> second = startProcess(client -> via(client, sem).acquire());
    QueueConformanceTest.waitUntil(() -> sem.toString().contains("2 waiting"));
    sem.release();
    join(first);
    assertFalse(second.isDone());
    sem.release();
    join(second);
    assertEquals(0, sem.availablePermits());
  }

  @Test
  void acquire_interruptedWaiterLeaksNoPermit() throws Exception {
    SharedSemaphore sem = m.semaphore(0);
    assertInterruptedWhileParked(() -> sem.acquire(), () -> sem.toString().contains("1 waiting"));
    sem.release();
    assertEquals(1, sem.availablePermits(), "the permit went back, not to the gone waiter");
  }

  // --- ownership rule

  @Test
  void sessionEnd_releasesThePermitsItHeldAndWaitersProceed() throws Exception {
    SharedSemaphore sem = m.semaphore(2);
    Manager dying = newClient();
    SharedSemaphore held = via(dying, sem);
    held.acquire();
    held.acquire();
    Future<?> waiter = startProcess(client -> via(client, sem).acquire());
    QueueConformanceTest.waitUntil(() -> sem.toString().contains("1 waiting"));
    dying.close();
    join(waiter);
    assertEquals(1, sem.availablePermits(), "one permit went to the waiter, one back");
  }

  @Test
  void sessionEnd_creditsOnlyPermitsNotReleasedAndNeverPastTheBound() throws Exception {
    SharedSemaphore bounded = m.boundedSemaphore(1);
    Manager dying = newClient();
    via(dying, bounded).acquire();
    bounded.release(); // another process released it already
    dying.close();
    assertEquals(1, bounded.availablePermits(), "clamped to the bound");

    SharedSemaphore plain = m.semaphore(3);
    Manager worker = newClient();
    SharedSemaphore mine = via(worker, plain);
    mine.acquire();
    mine.acquire();
    mine.release();
    worker.close();
    assertEquals(3, plain.availablePermits(), "only the one still held came back");
  }

  @Test
  void sessionEnd_doesNotInflateASemaphoreUsedAsASignal() throws Exception {
    SharedSemaphore signal = m.semaphore(0);
    Manager receiver = newClient();
    signal.release(); // "done", from this process
    via(receiver, signal).acquire(); // consumed by the receiver
    receiver.close();
    assertEquals(0, signal.availablePermits(), "the consumed signal does not come back");
  }

  @Test
  void hold_releasesOnClose() {
    SharedSemaphore sem = m.boundedSemaphore(1);
    try (SharedLock.Held held = sem.hold()) {
      assertTrue(held != null && sem.availablePermits() == 0);
    }
    assertEquals(1, sem.availablePermits());
  }

  @Test
  void acquireUninterruptibly_waitsThroughAnInterrupt() throws Exception {
    SharedSemaphore sem = m.semaphore(0);
    assertWaitsThroughAnInterrupt(
        sem::acquireUninterruptibly, () -> sem.toString().contains("1 waiting"), sem::release);
    assertEquals(0, sem.availablePermits());
  }

  @Test
  void acquireUninterruptibly_interruptedWaiterKeepsItsPlaceInTheQueue() throws Exception {
    SharedSemaphore sem = m.semaphore(0);
    assertKeepsItsPlaceThroughInterrupts(
        sem::acquireUninterruptibly,
        () -> {},
        client -> via(client, sem).acquire(),
        n -> sem.toString().endsWith(", " + n + " waiting>"),
        sem::release,
        sem::release);
    assertEquals(0, sem.availablePermits());
  }
}
