package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedBarrier;
import org.multiprocessing4j.SharedCondition;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * Interrupt contracts across real JVMs: a barrier party interrupted in one JVM breaks the barrier
 * for a party in another ({@code CyclicBarrier}); {@code awaitUninterruptibly} in a worker JVM
 * keeps waiting through an interrupt until this JVM signals ({@code Condition}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager(ManagerTier.CHILD_JVM)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class InterruptContractsIT {
  private static final Duration EXIT = Duration.ofMinutes(1);
  private static final int CONDITION_ROUNDS = 10;
  private final Manager m;

  InterruptContractsIT(Manager m) {
    this.m = m;
  }

  /** Polls manager-side state no call can wait for. */
  private void waitUntil(SharedObject about, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + EXIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not reached: " + ManagerView.of(m, about));
      Thread.sleep(10);
    }
  }

  // --- barrier

  /**
   * args: barrier, mode. {@code wait}: expects BrokenBarrierException; {@code arriveInterrupted}:
   * arrives with its interrupt status set; {@code interruptedWhileWaiting}: interrupted once the
   * other party waits too. Both interrupted modes expect InterruptedException.
   */
  static final class BarrierParty {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedBarrier barrier = ProxyArgs.decode(m, args[0]);
        String mode = args[1];
        try {
          if (mode.equals("arriveInterrupted")) {
            Thread.currentThread().interrupt();
          } else if (mode.equals("interruptedWhileWaiting")) {
            Thread waiting = Thread.currentThread();
            Thread interrupter =
                new Thread(
                    () -> {
                      try {
                        while (barrier.getNumberWaiting() < 2) {
                          Thread.sleep(10);
                        }
                        waiting.interrupt();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    });
            interrupter.setDaemon(true);
            interrupter.start();
          }
          barrier.await();
          System.out.println("TRIPPED");
        } catch (BrokenBarrierException e) {
          System.out.println("BROKEN");
        } catch (InterruptedException e) {
          System.out.println("INTERRUPTED");
        }
      }
    }
  }

  @Test
  void barrier_partyInterruptedInOneJvmBreaksItForThePartyInAnother() throws Exception {
    for (String mode : List.of("arriveInterrupted", "interruptedWhileWaiting")) {
      SharedBarrier barrier = m.barrier(3);
      String arg = ProxyArgs.encode(barrier);
      try (ChildJvm waiter =
          ChildJvm.start(BarrierParty.class, m.childEnvironment(), arg, "wait")) {
        waitUntil(barrier, () -> barrier.getNumberWaiting() == 1);
        try (ChildJvm interrupted =
            ChildJvm.start(BarrierParty.class, m.childEnvironment(), arg, mode)) {
          interrupted.assertSucceeds(EXIT);
          waiter.assertSucceeds(EXIT);
          assertTrue(
              interrupted.output().contains("INTERRUPTED"), mode + ": " + interrupted.output());
          assertTrue(waiter.output().contains("BROKEN"), mode + ": " + waiter.output());
        }
      }
      assertTrue(barrier.isBroken(), mode);
      assertEquals(0, barrier.getNumberWaiting());
      barrier.reset();
      assertFalse(barrier.isBroken(), mode);
    }
  }

  // --- condition

  /**
   * args: condition, flag, rounds. Each round: takes the lock, has another thread interrupt it once
   * it waits, prints {@code INTERRUPTED <round>}, and awaits uninterruptibly; on return the flag
   * (set by the signaller before signalling) must be true and the interrupt status set.
   */
  static final class UninterruptibleWaiter {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedCondition cond = ProxyArgs.decode(m, args[0]);
        SharedValue<Boolean> signalled = ProxyArgs.decode(m, args[1]);
        int rounds = Integer.parseInt(args[2]);
        for (int round = 0; round < rounds; round++) {
          Thread waiting = Thread.currentThread();
          int current = round;
          Thread interrupter =
              new Thread(
                  () -> {
                    try {
                      while (!ManagerView.of(m, cond).endsWith(", 1 waiting>")) {
                        Thread.sleep(5);
                      }
                      waiting.interrupt();
                      System.out.println("INTERRUPTED " + current);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
          cond.getLock().lock();
          try {
            interrupter.start();
            cond.awaitUninterruptibly();
            boolean interruptStatus = Thread.interrupted();
            if (!signalled.get() || !interruptStatus) {
              System.out.println(
                  "round "
                      + round
                      + ": signalled="
                      + signalled.get()
                      + " interrupted="
                      + interruptStatus);
              System.exit(1);
            }
            signalled.set(false);
          } finally {
            cond.getLock().unlock();
          }
          interrupter.join();
        }
      }
    }
  }

  @Test
  void awaitUninterruptibly_inAWorkerJvmWaitsThroughAnInterruptForThisJvmsSignal()
      throws Exception {
    for (SharedCondition cond : List.of(m.condition(m.lock()), m.condition(m.rlock()))) {
      SharedValue<Boolean> signalled = m.value(false);
      try (ChildJvm worker =
          ChildJvm.start(
              UninterruptibleWaiter.class,
              m.childEnvironment(),
              ProxyArgs.encode(cond),
              ProxyArgs.encode(signalled),
              Integer.toString(CONDITION_ROUNDS))) {
        for (int round = 0; round < CONDITION_ROUNDS; round++) {
          worker.awaitOutput("INTERRUPTED " + round + "\n", EXIT);
          cond.getLock().lock();
          try {
            // Still queued on the manager although interrupted.
            assertTrue(ManagerView.of(m, cond).endsWith(", 1 waiting>"), ManagerView.of(m, cond));
            signalled.set(true);
            cond.signal();
          } finally {
            cond.getLock().unlock();
          }
        }
        worker.assertSucceeds(EXIT);
      }
    }
  }
}
