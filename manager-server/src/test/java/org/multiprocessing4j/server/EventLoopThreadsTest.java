package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.internal.client.ClientInternals;
import picocli.CommandLine;

/**
 * The manager's network threads ({@code ManagerServer.Builder.eventLoopThreads}, {@code
 * --event-loop-threads}): a server reads and answers all its clients on as many threads as it is
 * given, over TCP and a Unix socket, and replies that cross from one client's thread to another's
 * (a queue item handed to a waiting consumer) arrive.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventLoopThreadsTest {
  private static final byte[] KEY = "loops".getBytes(StandardCharsets.UTF_8);
  private static final String THREAD_PREFIX = "mp4j-manager-io-";

  @TempDir Path dir;

  @Test
  void aTcpServerServesManyClientsOnTheThreadsItIsGiven() throws Exception {
    assertServesOn(2, ManagerServer.builder().authkey(KEY).tcp("127.0.0.1", 0).eventLoopThreads(2));
  }

  @Test
  void aUnixSocketServerServesManyClientsOnTheThreadsItIsGiven() throws Exception {
    assertServesOn(
        3,
        ManagerServer.builder().authkey(KEY).unixSocket(dir.resolve("m.sock")).eventLoopThreads(3));
  }

  @Test
  void byDefaultOneThreadServesFourCpus() throws Exception {
    int expected = Math.max(1, Runtime.getRuntime().availableProcessors() / 4);
    assertServesOn(expected, ManagerServer.builder().authkey(KEY).tcp("127.0.0.1", 0));
  }

  @Test
  void lessThanOneThreadIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ManagerServer.builder().eventLoopThreads(0));
    assertEquals("eventLoopThreads must be at least 1, not 0", e.getMessage());
  }

  @Test
  void theCommandLineSetsTheThreads() {
    ManagerMain main = new ManagerMain();
    new CommandLine(main).parseArgs("--event-loop-threads=2");
    assertEquals(2, main.eventLoopThreads);
    ManagerMain unset = new ManagerMain();
    new CommandLine(unset).parseArgs();
    assertEquals(null, unset.eventLoopThreads);
  }

  /**
   * Starts the server, connects more clients than it has threads, has each call it, passes items
   * from every client to one consumer through a queue, and counts the server's network threads.
   */
  private static void assertServesOn(int threads, ManagerServer.Builder builder) throws Exception {
    Set<String> before = networkThreads();
    int clients = threads * 2 + 2;
    try (ManagerServer server = builder.build().start()) {
      List<Manager> managers = new ArrayList<>();
      try {
        for (int i = 0; i < clients; i++) {
          managers.add(Manager.connect(server.target(), KEY));
        }
        Manager first = managers.get(0);
        SharedList<Integer> list = first.list();
        SharedQueue<Integer> queue = first.queue();
        Thread consumer =
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < clients; i++) {
                      list.add(queue.take());
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        consumer.start();
        for (int i = 0; i < clients; i++) {
          @SuppressWarnings("unchecked")
          SharedQueue<Integer> mine =
              (SharedQueue<Integer>)
                  ClientInternals.attach(managers.get(i), queue.objectId(), queue.typeId());
          mine.put(i);
        }
        consumer.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(clients, list.size());
        assertEquals(clients * (clients - 1) / 2, list.copy().stream().mapToInt(i -> i).sum());
        Set<String> started = networkThreads();
        started.removeAll(before);
        assertEquals(threads, started.size(), "network threads of this server: " + started);
      } finally {
        for (Manager m : managers) {
          m.close();
        }
      }
    }
  }

  private static Set<String> networkThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(THREAD_PREFIX))
        .collect(Collectors.toSet());
  }
}
