package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.testsupport.ChildJvm;

/**
 * 1,000 clients blocked in {@code take()} on one queue cost the manager no thread each: the manager
 * runs in its own JVM ({@code Manager.start()}) and its thread count, read from {@code
 * /proc/<pid>/task}, stays bounded while they wait; then every one of them is served.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ThousandWaitersIT {
  static final int JVMS = 2;
  static final int THREADS_PER_JVM = 500;
  // Netty event loops for the new connections plus the manager's own few threads; far below 1,000.
  static final int ALLOWED_EXTRA_THREADS = 16;

  /** args: queue. Starts THREADS_PER_JVM threads blocked in take(); exits once all got an item. */
  static final class Takers {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedQueue<Integer> q = ProxyArgs.decode(m, args[0]);
        Set<Integer> served = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS_PER_JVM; i++) {
          Thread t =
              new Thread(
                  () -> {
                    try {
                      served.add(q.take());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
          t.start();
          threads.add(t);
        }
        System.out.println("STARTED " + threads.size());
        for (Thread t : threads) {
          t.join();
        }
        System.out.println("SERVED " + served.size());
      }
    }
  }

  @Test
  void take_thousandWaitersKeepTheManagersThreadCountBounded() throws Exception {
    Assumptions.assumeTrue(
        Files.isDirectory(Path.of("/proc/self/task")), "counts threads through Linux's /proc");
    Set<Long> childrenBefore = childPids();
    try (Manager m = Manager.start()) {
      long managerPid = managerPid(childrenBefore);
      SharedQueue<Integer> q = m.queue();
      var unused = q.isEmpty(); // one round trip: the session is up before the baseline
      long baseline = threadCount(managerPid);
      List<ChildJvm> workers = new ArrayList<>();
      try {
        for (int i = 0; i < JVMS; i++) {
          workers.add(ChildJvm.start(Takers.class, m.childEnvironment(), ProxyArgs.encode(q)));
        }
        int total = JVMS * THREADS_PER_JVM;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!ManagerView.of(m, q).contains(total + " waiting to get")) {
          assertTrue(
              System.nanoTime() < deadline, "not all takers queued: " + ManagerView.of(m, q));
          Thread.sleep(50);
        }
        long whileWaiting = threadCount(managerPid);
        System.out.printf(
            "manager threads: %d before, %d with %d takers parked%n",
            baseline, whileWaiting, total);
        assertTrue(
            whileWaiting <= baseline + ALLOWED_EXTRA_THREADS,
            "the manager grew from " + baseline + " to " + whileWaiting + " threads");

        q.addAll(IntStream.range(0, total).boxed().collect(Collectors.toList()));
        for (ChildJvm worker : workers) {
          worker.assertSucceeds(Duration.ofMinutes(2));
          assertTrue(worker.output().contains("SERVED " + THREADS_PER_JVM), worker.output());
        }
        assertEquals(0, q.size(), "every item went to exactly one taker");
        assertTrue(threadCount(managerPid) <= baseline + ALLOWED_EXTRA_THREADS);
      } finally {
        workers.forEach(ChildJvm::close);
      }
    }
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  /** The manager JVM Manager.start() launched: the new child of this JVM. */
  private static long managerPid(Set<Long> before) {
    List<ProcessHandle> started =
        ProcessHandle.current()
            .children()
            .filter(p -> !before.contains(p.pid()))
            .filter(p -> commandLine(p.pid()).contains("ManagerMain"))
            .collect(Collectors.toList());
    assertEquals(1, started.size(), "expected one new manager JVM, found " + started);
    return started.get(0).pid();
  }

  // The whole command line: ProcessHandle.Info.commandLine() stops at 4096 bytes, before the main
  // class when the class path is long.
  private static String commandLine(long pid) {
    try {
      return new String(
          Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // the process has gone: not the manager we just started
    }
  }

  private static long threadCount(long pid) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      return tasks.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
