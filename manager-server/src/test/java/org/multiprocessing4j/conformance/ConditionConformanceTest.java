package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedCondition;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedSemaphore;
import org.multiprocessing4j.SharedValue;

/** Spec §4.4 (Condition) cases 17–24, plus lock ownership, hold counts and interrupts. */
// the tests call lock, await and unlock one by one: each call is what is checked
@SuppressWarnings({"LockNotBeforeTry", "WaitNotInLoop"})
abstract class ConditionConformanceTest extends SyncConformanceBase {

  /** Python's {@code f}: acquire; sleeping.release(); wait(timeout); woken.release(); release. */
  private static void waiter(
      SharedCondition cond, SharedSemaphore sleeping, SharedSemaphore woken, Duration timeout)
      throws InterruptedException {
    cond.getLock().lock();
    try {
      sleeping.release();
      if (timeout == null) {
        cond.await();
      } else {
        cond.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      woken.release();
    } finally {
      cond.getLock().unlock();
    }
  }

  /** Starts {@code procs} processes and {@code threads} threads of this process running f. */
  private List<Future<?>> startWaiters(
      SharedCondition cond,
      SharedSemaphore sleeping,
      SharedSemaphore woken,
      Duration timeout,
      int procs,
      int threads) {
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < procs; i++) {
      all.add(
          startProcess(
              client ->
                  waiter(via(client, cond), via(client, sleeping), via(client, woken), timeout)));
    }
    for (int i = 0; i < threads; i++) {
      all.add(startThread(client -> waiter(cond, sleeping, woken, timeout)));
    }
    return all;
  }

  private static void acquireTimes(SharedSemaphore sem, int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      assertTrue(sem.tryAcquire(LONG.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  /** Waits until {@code n} waiters are parked on the condition (a manager-side fact). */
  private static void awaitWaiting(SharedCondition cond, int n) throws InterruptedException {
    QueueConformanceTest.waitUntil(() -> cond.toString().endsWith(", " + n + " waiting>"));
  }

  // --- case 17: test_notify

  @Test
  void signal_wakesExactlyOneWaiter() throws Exception {
    SharedCondition cond = m.condition();
    SharedSemaphore sleeping = m.semaphore(0);
    SharedSemaphore woken = m.semaphore(0);
    List<Future<?>> waiters = startWaiters(cond, sleeping, woken, null, 1, 1);
    acquireTimes(sleeping, 2);
    awaitWaiting(cond, 2);
    assertEquals(0, woken.availablePermits());

    try (SharedLock.Held held = cond.hold()) {
      cond.signal();
      assertTrue(held != null);
    }
    acquireTimes(woken, 1);
    assertFalse(woken.tryAcquire(SHORT.toMillis(), TimeUnit.MILLISECONDS), "only one woke");
    awaitWaiting(cond, 1);

    try (SharedLock.Held held = cond.hold()) {
      cond.signal();
      assertTrue(held != null);
    }
    acquireTimes(woken, 1);
    joinAll(waiters);
  }

  // --- case 18: test_notify_all

  @Test
  void signalAll_wakesEveryWaiterAndTimedWaitsReturnOnTheirOwn() throws Exception {
    SharedCondition cond = m.condition();
    SharedSemaphore sleeping = m.semaphore(0);
    SharedSemaphore woken = m.semaphore(0);
    List<Future<?>> timed = startWaiters(cond, sleeping, woken, SHORT, 3, 3);
    acquireTimes(sleeping, 6);
    acquireTimes(woken, 6); // every timed wait returned by itself
    joinAll(timed);

    List<Future<?>> untimed = startWaiters(cond, sleeping, woken, null, 3, 3);
    acquireTimes(sleeping, 6);
    awaitWaiting(cond, 6);
    assertFalse(woken.tryAcquire(SHORT.toMillis(), TimeUnit.MILLISECONDS), "nobody woke yet");
    cond.getLock().lock();
    cond.signalAll();
    cond.getLock().unlock();
    acquireTimes(woken, 6);
    joinAll(untimed);
  }

  // --- case 19: test_notify_n

  @Test
  void signalN_wakesUpToNWaiters() throws Exception {
    SharedCondition cond = m.condition();
    SharedSemaphore sleeping = m.semaphore(0);
    SharedSemaphore woken = m.semaphore(0);
    List<Future<?>> waiters = startWaiters(cond, sleeping, woken, null, 3, 3);
    acquireTimes(sleeping, 6);
    awaitWaiting(cond, 6);
    cond.getLock().lock();
    cond.signal(2);
    cond.getLock().unlock();
    acquireTimes(woken, 2);
    awaitWaiting(cond, 4);
    assertEquals(0, woken.availablePermits());
    cond.getLock().lock();
    cond.signal(4);
    cond.getLock().unlock();
    acquireTimes(woken, 4);
    cond.getLock().lock();
    cond.signal(3); // nobody is waiting
    cond.getLock().unlock();
    assertEquals(0, woken.availablePermits());
    joinAll(waiters);
  }

  // --- case 20: test_timeout

  @Test
  void await_timesOutReturningFalse() throws Exception {
    SharedCondition cond = m.condition();
    cond.getLock().lock();
    long start = System.nanoTime();
    assertFalse(cond.await(SHORT.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(millisSince(start) >= SHORT.toMillis());
    assertTrue(cond.getLock().isLocked(), "held again after the timeout");
    cond.getLock().unlock();
  }

  // --- case 21: test_waitfor

  @Test
  void waitFor_waitsForAPredicateOverSharedState() throws Exception {
    SharedCondition cond = m.condition();
    SharedValue<Integer> state = m.value(-1);
    Future<?> proc =
        startProcess(
            client -> {
              SharedCondition c = via(client, cond);
              SharedValue<Integer> s = via(client, state);
              try (SharedLock.Held held = c.hold()) {
                s.set(0);
                c.signal();
                boolean result = c.waitFor(() -> s.get() == 4, LONG);
                assertTrue(result && s.get() == 4 && held != null);
              }
            });
    try (SharedLock.Held held = cond.hold()) {
      assertTrue(cond.waitFor(() -> state.get() == 0, LONG) && held != null);
    }
    for (int i = 0; i < 4; i++) {
      try (SharedLock.Held held = cond.hold()) {
        state.addAndGet(1);
        cond.signal();
        assertTrue(held != null);
      }
    }
    join(proc);
  }

  // --- case 22: test_waitfor_timeout

  @Test
  void waitFor_returnsFalseWhenThePredicateStaysFalse() throws Exception {
    SharedCondition cond = m.condition();
    SharedValue<Integer> state = m.value(0);
    SharedValue<Boolean> success = m.value(false);
    SharedSemaphore sem = m.semaphore(0);
    Future<?> proc =
        startProcess(
            client -> {
              SharedCondition c = via(client, cond);
              SharedValue<Integer> s = via(client, state);
              via(client, sem).release();
              try (SharedLock.Held held = c.hold()) {
                long start = System.nanoTime();
                boolean r = c.waitFor(() -> s.get() == 4, SHORT);
                if (!r && millisSince(start) >= SHORT.toMillis() && held != null) {
                  via(client, success).set(true);
                }
              }
            });
    assertTrue(sem.tryAcquire(LONG.toMillis(), TimeUnit.MILLISECONDS));
    for (int i = 0; i < 3; i++) {
      try (SharedLock.Held held = cond.hold()) {
        state.addAndGet(1);
        cond.signal();
        assertTrue(held != null);
      }
    }
    join(proc);
    assertTrue(success.get());
    assertThrows(
        IllegalArgumentException.class, () -> cond.waitFor(() -> true, Duration.ofSeconds(-1)));
  }

  // --- case 23: test_wait_result

  @Test
  void await_resultTellsSignalledFromTimedOut() throws Exception {
    SharedCondition c = m.condition();
    c.getLock().lock();
    try {
      assertFalse(c.await(0, TimeUnit.SECONDS));
      assertFalse(c.await(SHORT.toMillis(), TimeUnit.MILLISECONDS));
      Future<?> proc =
          startProcess(
              client -> {
                SharedCondition cc = via(client, c);
                // The parent's wait parks first: signal only once it does.
                awaitWaiting(cc, 1);
                try (SharedLock.Held held = cc.hold()) {
                  cc.signal();
                  assertTrue(held != null);
                }
              });
      assertTrue(c.await(60, TimeUnit.SECONDS));
      join(proc);
    } finally {
      c.getLock().unlock();
    }
  }

  // --- case 24: test_condition (TestSyncManagerTypes)

  @Test
  void condition_childAcquiresAndReleases() throws Exception {
    SharedCondition o = m.condition();
    join(
        startProcess(
            client -> {
              SharedLock lock = via(client, o).getLock();
              lock.lock();
              lock.unlock();
            }));
    assertFalse(o.getLock().isLocked());
  }

  // --- §3.7: the lock must be held

  @Test
  void awaitAndSignal_withoutTheLockThrowIllegalMonitorState() {
    SharedCondition cond = m.condition();
    assertThrows(IllegalMonitorStateException.class, cond::await);
    assertThrows(IllegalMonitorStateException.class, cond::signal);
    assertThrows(IllegalMonitorStateException.class, cond::signalAll);
    assertThrows(IllegalMonitorStateException.class, () -> cond.signal(2));
    assertThrows(IllegalArgumentException.class, () -> cond.signal(-1));
    // Held by another thread: still not held by the caller (an rlock has an owner).
    Manager other = newClient();
    via(other, cond).getLock().lock();
    assertThrows(IllegalMonitorStateException.class, cond::signal);
    other.close();
  }

  @Test
  void condition_overAPlainLockWorksAndChecksOnlyThatItIsLocked() throws Exception {
    SharedLock lock = m.lock();
    SharedCondition cond = m.condition(lock);
    assertEquals(lock, cond.getLock());
    assertThrows(IllegalMonitorStateException.class, cond::signal);
    SharedEvent parked = m.event();
    Future<?> proc =
        startProcess(
            client -> {
              SharedCondition c = via(client, cond);
              c.getLock().lock();
              via(client, parked).set();
              assertTrue(c.await(LONG.toMillis(), TimeUnit.MILLISECONDS));
              assertTrue(c.getLock().isLocked());
              c.getLock().unlock();
            });
    assertTrue(parked.await(LONG));
    awaitWaiting(cond, 1);
    lock.lock();
    cond.signal();
    lock.unlock();
    join(proc);
    assertFalse(lock.isLocked());
  }

  @Test
  void await_restoresEveryHoldOfAnRlock() throws Exception {
    SharedLock rlock = m.rlock();
    SharedCondition cond = m.condition(rlock);
    rlock.lock();
    rlock.lock();
    Future<?> proc =
        startProcess(
            client -> {
              SharedLock mine = via(client, rlock);
              // Only possible if await released both holds.
              assertTrue(mine.tryLock(LONG.toMillis(), TimeUnit.MILLISECONDS));
              mine.unlock();
            });
    assertFalse(cond.await(SHORT.toMillis(), TimeUnit.MILLISECONDS));
    join(proc);
    rlock.unlock();
    rlock.unlock();
    assertThrows(IllegalMonitorStateException.class, rlock::unlock, "exactly two holds restored");
  }

  @Test
  void await_interruptedReacquiresTheLockThenThrows() throws Exception {
    SharedCondition cond = m.condition();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicReference<Boolean> heldWhenThrown = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              cond.getLock().lock();
              try {
                cond.await();
                outcome.set(new AssertionError("returned normally"));
              } catch (InterruptedException e) {
                outcome.set(e);
                heldWhenThrown.set(cond.getLock().tryLock()); // reentrant: true only if held
                cond.getLock().unlock();
              } finally {
                cond.getLock().unlock();
              }
            });
    waiter.start();
    awaitWaiting(cond, 1);
    waiter.interrupt();
    waiter.join();
    assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
    assertEquals(true, heldWhenThrown.get());
    awaitWaiting(cond, 0);
    assertFalse(cond.getLock().isLocked());
  }

  @Test
  void signal_isNotSpentOnAWaiterThatGaveUp() throws Exception {
    SharedCondition cond = m.condition();
    SharedSemaphore sleeping = m.semaphore(0);
    SharedSemaphore woken = m.semaphore(0);
    // One waiter times out; the other waits; one signal must reach the one still waiting.
    List<Future<?>> patient = startWaiters(cond, sleeping, woken, null, 1, 0);
    List<Future<?>> impatient = startWaiters(cond, sleeping, woken, SHORT, 1, 0);
    acquireTimes(sleeping, 2);
    join(impatient.get(0));
    acquireTimes(woken, 1);
    awaitWaiting(cond, 1);
    cond.getLock().lock();
    cond.signal();
    cond.getLock().unlock();
    join(patient.get(0));
  }

  /**
   * Condition's contract: an interrupt does not end the wait; only a signal does, and the interrupt
   * status is set on return. Repeated, since an early return raced with the test's signal.
   */
  @Test
  void awaitUninterruptibly_keepsWaitingThroughAnInterruptUntilSignalled() throws Exception {
    for (SharedCondition cond : List.of(m.condition(m.lock()), m.condition(m.rlock()))) {
      for (int repetition = 0; repetition < 100; repetition++) {
        AtomicReference<Boolean> signalled = new AtomicReference<>(false);
        AtomicReference<String> outcome = new AtomicReference<>();
        Thread waiter =
            new Thread(
                () -> {
                  cond.getLock().lock();
                  cond.awaitUninterruptibly();
                  outcome.set(
                      "signalled="
                          + signalled.get()
                          + " interrupted="
                          + Thread.currentThread().isInterrupted());
                  cond.getLock().unlock();
                });
        waiter.start();
        awaitWaiting(cond, 1);
        waiter.interrupt();
        // An early return re-acquires the lock before we get it, or leaves no one to signal.
        cond.getLock().lock();
        try {
          assertEquals(
              null,
              outcome.get(),
              cond.typeId()
                  + " over "
                  + cond.getLock().typeId()
                  + ", repetition "
                  + repetition
                  + ": returned without a signal");
          signalled.set(true);
          cond.signal();
        } finally {
          cond.getLock().unlock();
        }
        waiter.join(LONG.toMillis());
        assertEquals(
            "signalled=true interrupted=true",
            outcome.get(),
            cond.getLock().typeId() + ", repetition " + repetition);
        assertFalse(cond.getLock().isLocked());
      }
    }
  }

  @Test
  void sessionEnd_ofAWaiterLeavesTheConditionUsable() throws Exception {
    SharedCondition cond = m.condition();
    Manager dying = newClient();
    SharedCondition theirs = via(dying, cond);
    SharedEvent parked = m.event();
    Thread waiter =
        new Thread(
            () -> {
              theirs.getLock().lock();
              via(dying, parked).set();
              try {
                theirs.await();
              } catch (InterruptedException | RuntimeException e) {
                // the session is closed under it
              }
            });
    waiter.start();
    assertTrue(parked.await(LONG));
    awaitWaiting(cond, 1);
    dying.close();
    waiter.join();
    awaitWaiting(cond, 0);
    assertTrue(cond.getLock().tryLock(), "nobody holds the lock");
    cond.getLock().unlock();
  }
}
