package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedBarrier;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedQueue;

/**
 * Spec §4.6 (Barrier) cases 28–38 with N = 5 parties: 4 processes and the main one. Python's
 * one-second sleeps of the late party become waits for a manager-side state, so nothing sleeps.
 */
abstract class BarrierConformanceTest extends SyncConformanceBase {
  private static final int N = 5;

  /** Runs {@code party} in N-1 processes and in this thread (Python's {@code run_threads}). */
  private void runParties(ProcessBody party) throws Exception {
    List<Future<?>> procs = startProcesses(N - 1, party);
    party.run(m);
    joinAll(procs);
  }

  /** One pass of Python's {@code multipass}. */
  private static void pass(SharedBarrier b, SharedList<Boolean> r0, SharedList<Boolean> r1, int i)
      throws Exception {
    assertEquals(i * N, r1.size());
    r0.add(true);
    b.await();
    r1.add(true);
    assertEquals((i + 1) * N, r0.size());
    b.await();
  }

  // --- cases 28 and 29: test_barrier, test_barrier_10

  @Test
  void await_holdsEveryPartyUntilAllArrive() throws Exception {
    for (int passes : new int[] {1, 10}) {
      SharedBarrier barrier = m.barrier(N);
      SharedList<Boolean> r0 = m.list();
      SharedList<Boolean> r1 = m.list();
      runParties(
          client -> {
            SharedBarrier b = via(client, barrier);
            assertEquals(N, b.getParties());
            for (int i = 0; i < passes; i++) {
              pass(b, via(client, r0), via(client, r1), i);
            }
          });
      assertEquals(0, barrier.getNumberWaiting());
      assertFalse(barrier.isBroken());
    }
  }

  // --- case 30: test_wait_return

  @Test
  void await_returnsEachIndexOncePerRound() throws Exception {
    SharedBarrier barrier = m.barrier(N);
    SharedQueue<Integer> queue = m.queue();
    runParties(client -> via(client, queue).put(via(client, barrier).await()));
    Set<Integer> indexes = new HashSet<>();
    for (int i = 0; i < N; i++) {
      indexes.add(queue.take());
    }
    assertEquals(Set.of(0, 1, 2, 3, 4), indexes, "exactly one 0, and every index once");
  }

  // --- case 31: test_action, with the documented replacement for actions

  @Test
  void await_indexZeroRunsTheActionBetweenTwoMeetings() throws Exception {
    SharedBarrier barrier = m.barrier(N);
    SharedList<Boolean> results = m.list();
    runParties(
        client -> {
          SharedBarrier b = via(client, barrier);
          SharedList<Boolean> r = via(client, results);
          if (b.await() == 0) {
            r.add(true); // the "action", once per round
          }
          b.await();
          assertEquals(1, r.size());
        });
    assertEquals(1, results.size());
  }

  // --- case 32: test_abort

  @Test
  void abort_breaksTheBarrierForEveryWaiter() throws Exception {
    SharedBarrier barrier = m.barrier(N);
    SharedList<Boolean> results1 = m.list();
    SharedList<Boolean> results2 = m.list();
    runParties(
        client -> {
          SharedBarrier b = via(client, barrier);
          try {
            if (b.await() == N / 2) {
              b.abort(); // Python: raise RuntimeError, caught, then abort()
              return;
            }
            b.await();
            via(client, results1).add(true);
          } catch (BrokenBarrierException e) {
            via(client, results2).add(true);
          }
        });
    assertEquals(0, results1.size());
    assertEquals(N - 1, results2.size());
    assertTrue(barrier.isBroken());
    assertThrows(BrokenBarrierException.class, barrier::await, "broken until reset");
  }

  // --- case 33: test_reset

  @Test
  void reset_breaksWaitersAndMakesTheBarrierUsable() throws Exception {
    SharedBarrier barrier = m.barrier(N);
    SharedList<Boolean> results1 = m.list();
    SharedList<Boolean> results2 = m.list();
    SharedList<Boolean> results3 = m.list();
    runParties(
        client -> {
          SharedBarrier b = via(client, barrier);
          if (b.await() == N / 2) {
            QueueConformanceTest.waitUntil(() -> b.getNumberWaiting() == N - 1);
            b.reset();
          } else {
            try {
              b.await();
              via(client, results1).add(true);
            } catch (BrokenBarrierException e) {
              via(client, results2).add(true);
            }
          }
          b.await();
          via(client, results3).add(true);
        });
    assertEquals(0, results1.size());
    assertEquals(N - 1, results2.size());
    assertEquals(N, results3.size());
  }

  // --- case 34: test_abort_and_reset

  @Test
  void abortThenReset_barrierIsUsableAgain() throws Exception {
    SharedBarrier barrier = m.barrier(N);
    SharedBarrier barrier2 = m.barrier(N);
    SharedList<Boolean> results1 = m.list();
    SharedList<Boolean> results2 = m.list();
    SharedList<Boolean> results3 = m.list();
    runParties(
        client -> {
          SharedBarrier b = via(client, barrier);
          SharedBarrier b2 = via(client, barrier2);
          try {
            if (b.await() == N / 2) {
              b.abort();
            } else {
              b.await();
              via(client, results1).add(true);
            }
          } catch (BrokenBarrierException e) {
            via(client, results2).add(true);
          }
          // Everyone has left the barrier before the reset, and no one enters it before.
          if (b2.await() == N / 2) {
            b.reset();
          }
          b2.await();
          b.await();
          via(client, results3).add(true);
        });
    assertEquals(0, results1.size());
    assertEquals(N - 1, results2.size());
    assertEquals(N, results3.size());
  }

  // --- case 35: test_timeout (Java: the party whose own timeout elapsed gets TimeoutException)

  @Test
  void await_timeoutBreaksTheBarrierForEveryParty() throws Exception {
    SharedBarrier barrier = m.barrier(N);
    SharedList<String> results = m.list();
    runParties(
        client -> {
          SharedBarrier b = via(client, barrier);
          SharedList<String> r = via(client, results);
          int i = b.await();
          if (i == N / 2) {
            // The late party: arrives once the others broke the barrier.
            QueueConformanceTest.waitUntil(() -> r.size() == N - 1);
          }
          try {
            b.await(Duration.ofMillis(200));
          } catch (TimeoutException e) {
            r.add("timeout");
          } catch (BrokenBarrierException e) {
            r.add("broken");
          }
        });
    assertEquals(N, results.size());
    assertEquals(1, results.stream().filter("timeout"::equals).count(), results.toString());
    assertTrue(barrier.isBroken());
  }

  // --- case 36: test_default_timeout (Python: every party gets BrokenBarrierError)

  @Test
  void await_defaultTimeoutBreaksTheBarrier() throws Exception {
    SharedBarrier barrier = m.barrier(N, Duration.ofMillis(200));
    SharedList<String> results = m.list();
    runParties(
        client -> {
          SharedBarrier b = via(client, barrier);
          SharedList<String> r = via(client, results);
          int i = b.await(LONG);
          if (i == N / 2) {
            QueueConformanceTest.waitUntil(() -> r.size() == N - 1);
          }
          try {
            b.await();
          } catch (BrokenBarrierException e) {
            r.add("broken");
          }
        });
    assertEquals(N, results.size());
    assertTrue(barrier.isBroken());
  }

  // --- case 37: test_single_thread

  @Test
  void await_singlePartyNeverWaits() throws Exception {
    SharedBarrier b = m.barrier(1);
    assertEquals(0, b.await());
    assertEquals(0, b.await(Duration.ZERO));
  }

  // --- case 38: test_barrier (TestSyncManagerTypes)

  @Test
  void barrier_childReadsPartiesAndResets() throws Exception {
    SharedBarrier o = m.barrier(5);
    join(
        startProcess(
            client -> {
              SharedBarrier co = via(client, o);
              assertEquals(5, co.getParties());
              co.reset();
            }));
    assertFalse(o.isBroken());
  }

  // --- Java specifics

  @Test
  void barrier_badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> m.barrier(0));
    assertThrows(IllegalArgumentException.class, () -> m.barrier(2, Duration.ofSeconds(-1)));
    SharedBarrier b = m.barrier(2);
    assertThrows(IllegalArgumentException.class, () -> b.await(Duration.ofMillis(-1)));
    assertFalse(b.isBroken());
  }

  @Test
  void await_zeroTimeoutBreaksAtOnceUnlessLast() throws Exception {
    SharedBarrier b = m.barrier(2);
    assertThrows(TimeoutException.class, () -> b.await(Duration.ZERO));
    assertTrue(b.isBroken());
  }

  @Test
  void await_interruptedPartyBreaksTheBarrierForTheOthers() throws Exception {
    SharedBarrier barrier = m.barrier(3);
    Future<?> other =
        startProcess(
            client -> assertThrows(BrokenBarrierException.class, via(client, barrier)::await));
    QueueConformanceTest.waitUntil(() -> barrier.getNumberWaiting() == 1);
    assertInterruptedWhileParked(() -> barrier.await(), () -> barrier.getNumberWaiting() == 2);
    join(other);
    assertTrue(barrier.isBroken());
    barrier.reset();
    assertFalse(barrier.isBroken());
  }

  /** CyclicBarrier: a party arriving interrupted breaks the barrier, then throws. */
  @Test
  void await_partyArrivingInterruptedBreaksTheBarrierForTheOthers() throws Exception {
    SharedBarrier barrier = m.barrier(3);
    Future<?> other =
        startProcess(
            client -> assertThrows(BrokenBarrierException.class, via(client, barrier)::await));
    QueueConformanceTest.waitUntil(() -> barrier.getNumberWaiting() == 1);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, barrier::await);
    assertFalse(Thread.currentThread().isInterrupted(), "the exception cleared the status");
    join(other);
    assertTrue(barrier.isBroken());
    assertEquals(0, barrier.getNumberWaiting());
    // The same through the timed form.
    barrier.reset();
    assertFalse(barrier.isBroken());
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> barrier.await(LONG));
    assertTrue(barrier.isBroken());
    barrier.reset();
    assertFalse(barrier.isBroken());
  }

  /** CyclicBarrier checks for a broken barrier first: the interrupt status stays set. */
  @Test
  void await_interruptedAtABrokenBarrier_getsBrokenBarrierException() throws Exception {
    SharedBarrier barrier = m.barrier(2);
    barrier.abort();
    Thread.currentThread().interrupt();
    try {
      assertThrows(BrokenBarrierException.class, barrier::await);
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  /** CyclicBarrier: the party whose timeout elapsed gets TimeoutException, the others break. */
  @Test
  void await_timedOutPartyBreaksTheBarrierForTheOthers() throws Exception {
    SharedBarrier barrier = m.barrier(3);
    Future<?> other =
        startProcess(
            client -> assertThrows(BrokenBarrierException.class, via(client, barrier)::await));
    QueueConformanceTest.waitUntil(() -> barrier.getNumberWaiting() == 1);
    assertThrows(TimeoutException.class, () -> barrier.await(SHORT));
    join(other);
    assertTrue(barrier.isBroken());
    assertThrows(BrokenBarrierException.class, () -> barrier.await(LONG));
    barrier.reset();
    assertFalse(barrier.isBroken());
  }

  @Test
  void sessionEnd_ofAWaitingPartyBreaksTheBarrier() throws Exception {
    SharedBarrier barrier = m.barrier(2);
    Manager dying = newClient();
    SharedBarrier theirs = via(dying, barrier);
    Thread waiter =
        new Thread(
            () -> {
              try {
                theirs.await();
              } catch (Exception | Error e) {
                // its session goes away under it
              }
            });
    waiter.start();
    QueueConformanceTest.waitUntil(() -> barrier.getNumberWaiting() == 1);
    dying.close();
    waiter.join();
    assertTrue(barrier.isBroken(), "a dead party never arrives: the others must not wait forever");
  }
}
