package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * {@code shutdown()} while other clients are in the middle of calls: every busy caller and every
 * blocked waiter ends promptly with a clear {@link ManagerException}, none hangs, and every call
 * that returned normally had been applied (its result was read back before the shutdown).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownInFlightTest {
  private static final byte[] KEY = "shutdown-key".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension static final ServerExtension<ManagerServer> SERVER = TestServers.tcp(KEY);

  @Test
  @Timeout(60)
  void busyCallersAndBlockedWaitersAllFailClearly() throws Exception {
    ManagerServer server = SERVER.server();
    List<Manager> clients = new ArrayList<>();
    ExecutorService threads = Executors.newCachedThreadPool();
    try {
      for (int i = 0; i < 5; i++) {
        clients.add(Manager.connect(server.target(), KEY));
      }
      CountDownLatch busy = new CountDownLatch(4);
      AtomicLong acknowledged = new AtomicLong();
      List<Future<Throwable>> callers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Manager client = clients.get(i);
        callers.add(
            threads.submit(
                () -> {
                  SharedList<Integer> list = client.list();
                  busy.countDown();
                  try {
                    for (int n = 0; ; n++) {
                      list.addAll(List.of(n, n, n));
                      // Read back: an acknowledged call was applied whole.
                      assertEquals(3 * (n + 1), list.size());
                      acknowledged.incrementAndGet();
                    }
                  } catch (ManagerException e) {
                    return e;
                  }
                }));
      }
      SharedQueue<String> queue = clients.get(3).queue();
      callers.add(
          threads.submit(
              () -> {
                busy.countDown();
                try {
                  queue.take(); // nobody ever puts: blocked until the shutdown
                  return new AssertionError("take returned");
                } catch (ManagerException e) {
                  return e;
                }
              }));
      assertTrue(busy.await(30, TimeUnit.SECONDS));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (acknowledged.get() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(5); // let the callers get going; the shutdown must land mid-stream
      }
      clients.get(4).shutdown();
      long shutDownAt = System.nanoTime();
      for (Future<Throwable> caller : callers) {
        Throwable outcome = caller.get(10, TimeUnit.SECONDS);
        ManagerException e = assertInstanceOf(ManagerException.class, outcome);
        assertTrue(
            e.code() == ManagerException.Code.UNAVAILABLE
                || e.code() == ManagerException.Code.MANAGER_SHUT_DOWN,
            e::toString);
      }
      Duration toFail = Duration.ofNanos(System.nanoTime() - shutDownAt);
      assertTrue(toFail.compareTo(Duration.ofSeconds(5)) < 0, "callers took " + toFail);
      assertTrue(acknowledged.get() >= 100, "the callers never got going");
    } finally {
      threads.shutdownNow();
      clients.forEach(Manager::close);
    }
  }
}
