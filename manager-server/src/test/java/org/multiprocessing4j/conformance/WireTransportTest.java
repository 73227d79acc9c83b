package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.internal.client.ClientInternals;
import org.multiprocessing4j.server.ManagerServer;

/**
 * The session transport against the real grpc-java manager on a real socket (TCP and Unix
 * socket): many threads on one session, messages larger than every flow-control window both
 * ways, partial frames, a manager that stops reading, GOAWAY and shutdown mid-call, a manager
 * killed mid-call, interrupts of the thread reading for others, and an idle application that
 * keeps its session. Runs over whichever transport {@code -Dmp4j.transport} picks (the build runs
 * it over both).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WireTransportTest {
  private static final byte[] KEY = "wire-key".getBytes(StandardCharsets.UTF_8);
  private static final Duration PROMPTLY = Duration.ofSeconds(1);

  @TempDir Path dir;

  private ManagerServer server(String transport) throws IOException {
    // A long lease: the manager hears nothing from a client sending a large message until it is
    // whole, and on a loaded machine 20 MiB may take longer than the default lease to cross.
    ManagerServer.Builder builder =
        ManagerServer.builder().authkey(KEY).leaseTimeout(Duration.ofMinutes(2));
    if (transport.equals("unix")) {
      builder.unixSocket(dir.resolve("m.sock"));
    }
    return builder.build().start();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "unix"})
  void manyThreadsOnOneSessionEachGetTheirOwnReplies(String transport) throws Exception {
    try (ManagerServer server = server(transport);
        Manager m = Manager.connect(server.target(), KEY)) {
      SharedMap<String, Integer> counters = m.dict();
      SharedQueue<Integer> queue = m.queue();
      int threads = 8;
      int calls = 1500;
      List<FutureTask<String>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String key = "thread-" + t;
        tasks.add(
            start(
                () -> {
                  counters.put(key, 0);
                  for (int i = 1; i <= calls; i++) {
                    // Each reply names this thread's previous value: a reply delivered to the
                    // wrong thread, or lost, shows.
                    Integer previous = counters.put(key, i);
                    if (previous == null || previous != i - 1) {
                      return key + " got " + previous + " for call " + i;
                    }
                  }
                  return "ok";
                }));
      }
      // Meanwhile, a thread parked on the manager for a while, and then released.
      FutureTask<String> taker = start(() -> String.valueOf(queue.take()));
      for (FutureTask<String> task : tasks) {
        assertEquals("ok", task.get());
      }
      queue.put(42);
      assertEquals("42", taker.get());
      assertEquals(threads, counters.size());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "unix"})
  void messagesLargerThanEveryWindowCrossBothWays(String transport) throws Exception {
    try (ManagerServer server = server(transport);
        Manager m = Manager.connect(server.target(), KEY)) {
      byte[] big = new byte[20 * 1024 * 1024];
      new Random(16).nextBytes(big);
      SharedValue<byte[]> value = m.value(new byte[0]);
      // Meanwhile small calls from another thread interleave with the 20 MiB messages.
      SharedList<Integer> list = m.list();
      AtomicBoolean stop = new AtomicBoolean();
      FutureTask<String> small =
          start(
              () -> {
                int n = 0;
                while (!stop.get()) {
                  list.add(n++);
                }
                return n == list.size()
                    ? "ok"
                    : "lost calls: " + n + " sent, " + list.size() + " kept";
              });
      for (int round = 0; round < 3; round++) {
        value.set(big); // a 20 MiB request
        assertArrayEquals(big, value.get()); // a 20 MiB reply
      }
      stop.set(true);
      assertEquals("ok", small.get());
    }
  }

  @Test
  void sixtyFourMebibyteMessagesCrossBothWays() throws Exception {
    int limit = 80 * 1024 * 1024;
    try (ManagerServer server =
            // A long lease: on a loaded machine 64 MiB may take longer to cross than the default
            // lease, and the manager hears nothing from a client until a message is whole.
            ManagerServer.builder()
                .authkey(KEY)
                .maxMessageBytes(limit)
                .leaseTimeout(Duration.ofMinutes(2))
                .build()
                .start();
        Manager m =
            Manager.builder().authkey(KEY).maxMessageBytes(limit).connect(server.target())) {
      byte[] big = new byte[64 * 1024 * 1024];
      big[0] = 1;
      big[big.length - 1] = 2;
      SharedValue<byte[]> value = m.value(big);
      byte[] back = value.get();
      assertEquals(big.length, back.length);
      assertEquals(1, back[0]);
      assertEquals(2, back[back.length - 1]);
    }
  }

  @Test
  void framesCutAnywhereAreReassembled() throws Exception {
    try (ManagerServer server = server("tcp");
        Proxy proxy = new Proxy(server.port(), /* dribble */ true);
        Manager m = Manager.connect("localhost:" + proxy.port(), KEY)) {
      SharedList<String> list = m.list();
      for (int i = 0; i < 50; i++) {
        list.add("item-" + i);
      }
      assertEquals(50, list.size());
      assertEquals("item-49", list.get(49));
      SharedValue<byte[]> value = m.value(new byte[100_000]);
      assertEquals(100_000, value.get().length);
    }
  }

  @Test
  void aManagerThatStopsReadingPausesTheClientAndLosesNothing() throws Exception {
    try (ManagerServer server = server("tcp");
        Proxy proxy = new Proxy(server.port(), false);
        Manager m = Manager.connect("localhost:" + proxy.port(), KEY)) {
      SharedValue<byte[]> value = m.value(new byte[0]);
      SharedList<Integer> list = m.list();
      byte[] big = new byte[8 * 1024 * 1024];
      new Random(7).nextBytes(big);
      proxy.pauseUpstream(true);
      FutureTask<String> writer = start(() -> {
        value.set(big);
        return "set";
      });
      FutureTask<String> adder = start(() -> {
        for (int i = 0; i < 100; i++) {
          list.add(i);
        }
        return "added";
      });
      Thread.sleep(1000);
      assertFalse(writer.isDone(), "the 8 MiB request cannot have gone through a paused manager");
      proxy.pauseUpstream(false);
      assertEquals("set", writer.get());
      assertEquals("added", adder.get());
      assertArrayEquals(big, value.get());
      assertEquals(100, list.size());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "unix"})
  void anInterruptedReaderHandsTheRoleOnAndLosesNoItem(String transport) throws Exception {
    try (ManagerServer server = server(transport);
        Manager m = Manager.connect(server.target(), KEY)) {
      SharedQueue<String> queue = m.queue();
      List<Thread> threads = new ArrayList<>();
      List<FutureTask<String>> takes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        FutureTask<String> take = new FutureTask<>(queue::take);
        Thread thread = new Thread(take, "taker-" + i);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
        takes.add(take);
      }
      QueueConformanceTest.waitUntil(
          () -> ClientInternals.describe(m, queue).contains("4 waiting to get"));
      // Whichever thread reads for the others, interrupt every second one: each interrupted one
      // fails at once; the others go on waiting and get their items.
      threads.get(0).interrupt();
      threads.get(2).interrupt();
      for (int i : new int[] {0, 2}) {
        ExecutionException e = assertThrows(ExecutionException.class, takes.get(i)::get);
        assertInstanceOf(InterruptedException.class, e.getCause());
      }
      QueueConformanceTest.waitUntil(
          () -> ClientInternals.describe(m, queue).contains("2 waiting to get"));
      queue.put("a");
      queue.put("b");
      Set<String> got = Set.of(takes.get(1).get(), takes.get(3).get());
      assertEquals(Set.of("a", "b"), got);
      assertEquals(0, queue.qsize());
    }
  }

  @Test
  void anIdleApplicationKeepsItsSessionPastThreeLeases() throws Exception {
    try (ManagerServer server =
            ManagerServer.builder().authkey(KEY).leaseTimeout(Duration.ofSeconds(2)).build().start();
        Manager m = Manager.connect(server.target(), KEY)) {
      SharedList<Integer> list = m.list();
      list.add(1);
      Thread.sleep(7000); // three and a half leases without a call: only the idle reader answers the pings
      list.add(2);
      assertEquals(2, list.size());
      assertEquals(1, server.sessionCount());
    }
  }

  @Test
  void shutdownMidCallFailsEveryWaiterPromptly() throws Exception {
    ManagerServer server = server("tcp");
    Manager m = Manager.connect(server.target(), KEY);
    try {
      SharedQueue<String> queue = m.queue();
      List<FutureTask<String>> takes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        takes.add(start(queue::take));
      }
      QueueConformanceTest.waitUntil(
          () -> ClientInternals.describe(m, queue).contains("4 waiting to get"));
      Thread closer = new Thread(server::shutdown, "graceful-shutdown"); // GOAWAY, then Goodbye
      assertTimeoutPreemptively(
          PROMPTLY,
          () -> {
            closer.start();
            for (FutureTask<String> take : takes) {
              ExecutionException e = assertThrows(ExecutionException.class, take::get);
              assertInstanceOf(ManagerException.class, e.getCause());
            }
          });
      assertThrows(ManagerException.class, queue::qsize);
    } finally {
      m.close();
      server.close();
    }
  }

  @Test
  void aManagerKilledMidCallFailsEveryWaiterWithinASecond() throws Exception {
    Set<Long> before =
        ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    Manager m = Manager.builder().authkey(KEY).start();
    try {
      ProcessHandle managerJvm =
          ProcessHandle.current().children().filter(p -> !before.contains(p.pid())).findFirst()
              .orElseThrow();
      SharedQueue<String> queue = m.queue();
      List<FutureTask<String>> waiters = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiters.add(start(queue::take)); // one reads for all four
      }
      QueueConformanceTest.waitUntil(
          () -> ClientInternals.describe(m, queue).contains("4 waiting to get"));
      assertTimeoutPreemptively(
          PROMPTLY,
          () -> {
            assertTrue(managerJvm.destroyForcibly());
            for (FutureTask<String> waiter : waiters) {
              ExecutionException e = assertThrows(ExecutionException.class, waiter::get);
              assertInstanceOf(ManagerUnavailableException.class, e.getCause());
            }
          });
    } finally {
      m.close();
    }
  }

  private static FutureTask<String> start(Callable<String> call) {
    FutureTask<String> task = new FutureTask<>(call);
    Thread thread = new Thread(task, "caller");
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  /**
   * A TCP proxy between client and manager that can cut the bytes into pieces of 1 to 7 bytes,
   * each written alone, both ways, or stop passing the client's bytes on (a manager that stops
   * reading).
   */
  private static final class Proxy implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final int upstreamPort;
    private final boolean dribble;
    private final List<SocketChannel> sockets = new ArrayList<>();
    private volatile boolean upstreamPaused;
    private final Object pause = new Object();

    Proxy(int upstreamPort, boolean dribble) throws IOException {
      this.upstreamPort = upstreamPort;
      this.dribble = dribble;
      this.listener = ServerSocketChannel.open().bind(new InetSocketAddress("localhost", 0));
      Thread acceptor = new Thread(this::accept, "proxy-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() throws IOException {
      return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    void pauseUpstream(boolean paused) {
      synchronized (pause) {
        upstreamPaused = paused;
        pause.notifyAll();
      }
    }

    private void accept() {
      try {
        while (true) {
          SocketChannel client = listener.accept();
          SocketChannel manager =
              SocketChannel.open(new InetSocketAddress("localhost", upstreamPort));
          client.socket().setTcpNoDelay(true);
          manager.socket().setTcpNoDelay(true);
          synchronized (sockets) {
            sockets.add(client);
            sockets.add(manager);
          }
          pump(client, manager, true);
          pump(manager, client, false);
        }
      } catch (IOException closed) {
        // the proxy closed
      }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean upstream) {
      Thread thread =
          new Thread(
              () -> {
                Random random = new Random(upstream ? 1 : 2);
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                try {
                  while (from.read(buffer) >= 0) {
                    if (upstream) {
                      synchronized (pause) {
                        while (upstreamPaused) {
                          pause.wait();
                        }
                      }
                    }
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                      if (dribble) {
                        ByteBuffer piece = buffer.slice();
                        piece.limit(Math.min(piece.remaining(), 1 + random.nextInt(7)));
                        buffer.position(buffer.position() + piece.remaining());
                        while (piece.hasRemaining()) {
                          to.write(piece);
                        }
                      } else {
                        to.write(buffer);
                      }
                    }
                    buffer.clear();
                  }
                } catch (IOException | InterruptedException e) {
                  // a side closed
                } finally {
                  try {
                    to.shutdownOutput();
                  } catch (IOException e) {
                    // already closed
                  }
                }
              },
              upstream ? "proxy-up" : "proxy-down");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws IOException {
      listener.close();
      synchronized (sockets) {
        for (SocketChannel socket : sockets) {
          socket.close();
        }
      }
    }
  }
}
