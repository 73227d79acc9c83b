package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * {@code kill -9} of a client JVM: a call it was making happened entirely or not at all, and the
 * lock it held is released so a waiter in another process proceeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager(ManagerTier.CHILD_JVM)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClientCrashIT {
  private static final int BATCH = 20_000;
  private final Manager m;

  ClientCrashIT(Manager m) {
    this.m = m;
  }

  @Test
  void aWaiterProceedsWhenTheHolderIsKilled() throws Exception {
    SharedLock lock = m.lock();
    try (ChildJvm holder =
        ChildJvm.start(LockHolder.class, m.childEnvironment(), ProxyArgs.encode(lock))) {
      holder.awaitOutput("HOLDING", Duration.ofSeconds(60));
      CompletableFuture<Boolean> waiter =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return lock.tryLock(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return false;
                }
              });
      // The waiter is parked on the manager behind the holder.
      assertFalse(waiter.isDone());
      holder.killHard();
      assertTrue(waiter.get(30, TimeUnit.SECONDS), "the waiter never got the lock");
      lock.unlock();
    }
  }

  @Test
  void aBatchInFlightWhenTheClientIsKilledIsAppliedWholeOrNotAtAll() throws Exception {
    SharedList<Long> list = m.list();
    try (ChildJvm appender =
        ChildJvm.start(BatchAppender.class, m.childEnvironment(), ProxyArgs.encode(list))) {
      appender.awaitOutput("APPENDING", Duration.ofSeconds(60));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (list.size() < 5 * BATCH && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      appender.killHard();
    }
    List<Long> contents = list.copy();
    assertTrue(contents.size() >= 5 * BATCH, "the appender made no progress");
    assertEquals(0, contents.size() % BATCH, "a partial batch: " + contents.size() + " elements");
    // Batches are whole and in order: batch b holds b * BATCH .. b * BATCH + BATCH - 1.
    List<Long> expected = new ArrayList<>(contents.size());
    for (long i = 0; i < contents.size(); i++) {
      expected.add(i);
    }
    assertEquals(expected, contents);
  }

  /** Takes the lock it is handed, says so, waits to be killed. */
  public static final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws Exception {
      Manager worker = Manager.connectFromEnvironment();
      SharedLock lock = ProxyArgs.decode(worker, args[0]);
      lock.lock();
      System.out.println("HOLDING");
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  /** Appends consecutive batches of {@value #BATCH} longs, one addAll each, until killed. */
  public static final class BatchAppender {
    private BatchAppender() {}

    public static void main(String[] args) {
      Manager worker = Manager.connectFromEnvironment();
      SharedList<Long> list = ProxyArgs.decode(worker, args[0]);
      System.out.println("APPENDING");
      for (long next = 0; ; ) {
        List<Long> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
          batch.add(next++);
        }
        list.addAll(batch);
      }
    }
  }
}
