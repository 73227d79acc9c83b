package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * Issue 3's multi-process scenario: 4 worker JVMs each add 1,000 items to one list and increment
 * one value 1,000 times, under the value's lock or with addAndGet; and a client killed with kill -9
 * releases everything it referenced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager(ManagerTier.CHILD_JVM)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SharedListAndValueIT {
  private static final int WORKERS = 4;
  private static final int PER_WORKER = 1_000;
  private final Manager m;

  SharedListAndValueIT(Manager m) {
    this.m = m;
  }

  @Test
  void fourWorkersUnderTheValuesLock() throws Exception {
    runWorkers("locked");
  }

  @Test
  void fourWorkersWithAddAndGet() throws Exception {
    runWorkers("atomic");
  }

  private void runWorkers(String mode) throws Exception {
    SharedList<Integer> list = m.list();
    SharedValue<Integer> value = m.value(0);
    List<ChildJvm> workers = new ArrayList<>();
    try {
      for (int w = 0; w < WORKERS; w++) {
        workers.add(
            ChildJvm.start(
                Worker.class,
                m.childEnvironment(),
                mode,
                String.valueOf(w),
                ProxyArgs.encode(list),
                ProxyArgs.encode(value)));
      }
      for (ChildJvm worker : workers) {
        worker.assertSucceeds(Duration.ofMinutes(2));
      }
    } finally {
      workers.forEach(ChildJvm::close);
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < WORKERS * PER_WORKER; i++) {
      expected.add(i);
    }
    List<Integer> actual = new ArrayList<>(list.copy());
    actual.sort(null);
    assertEquals(expected, actual);
    assertEquals(WORKERS * PER_WORKER, value.get());
  }

  @Test
  void killedClientReleasesItsReferences() throws Exception {
    // A manager of its own: no other test's proxies are being collected meanwhile.
    try (Manager own = Manager.start()) {
      SharedList<Integer> mine = own.list(List.of(42));
      long baseline = own.stats().objectCount();
      try (ChildJvm holder = ChildJvm.start(Holder.class, own.childEnvironment())) {
        holder.awaitOutput("HOLDING", Duration.ofSeconds(60));
        assertEquals(baseline + 3, own.stats().objectCount());
        holder.killHard();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (own.stats().objectCount() != baseline && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(baseline, own.stats().objectCount());
      assertEquals(List.of(42), mine.copy());
    }
  }

  /** args: mode (locked|atomic), worker number, list, value. */
  public static final class Worker {
    private Worker() {}

    public static void main(String[] args) {
      try (Manager worker = Manager.connectFromEnvironment()) {
        int number = Integer.parseInt(args[1]);
        SharedList<Integer> list = ProxyArgs.decode(worker, args[2]);
        SharedValue<Integer> value = ProxyArgs.decode(worker, args[3]);
        SharedLock lock = value.getLock();
        for (int i = 0; i < PER_WORKER; i++) {
          list.add(number * PER_WORKER + i);
          if (args[0].equals("locked")) {
            lock.lock();
            try {
              value.set(value.get() + 1);
            } finally {
              lock.unlock();
            }
          } else {
            value.addAndGet(1);
          }
        }
      }
    }
  }

  /** Creates three objects, says so, and waits to be killed. */
  public static final class Holder {
    private Holder() {}

    public static void main(String[] args) throws Exception {
      Manager worker = Manager.connectFromEnvironment();
      SharedList<Integer> list = worker.list(List.of(1, 2, 3));
      SharedValue<Integer> value = worker.value(1);
      SharedLock lock = worker.lock();
      lock.lock();
      System.out.println("HOLDING " + list.size() + " " + value.get());
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
