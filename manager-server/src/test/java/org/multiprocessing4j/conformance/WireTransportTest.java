package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
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
import org.multiprocessing4j.server.TestServers;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * The session transport against the real grpc-java manager on a real socket (TCP and Unix socket):
 * many threads on one session, messages larger than every flow-control window both ways, partial
 * frames, a manager that stops reading, GOAWAY and shutdown mid-call, a manager killed mid-call,
 * interrupts of the thread reading for others, and an idle application that keeps its session. Runs
 * over whichever transport {@code -Dmp4j.transport} picks (the build runs it over both).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WireTransportTest {
  private static final byte[] KEY = "wire-key".getBytes(StandardCharsets.UTF_8);
  private static final Duration PROMPTLY = Duration.ofSeconds(1);
  private static final int LARGE = 80 * 1024 * 1024;

  // A long lease: the manager hears nothing from a client sending a large message until it is
  // whole, and on a loaded machine 20 MiB (or 64 MiB) may take longer than the default lease.
  private static final Duration LONG_LEASE = Duration.ofMinutes(2);
  private static final Duration SHORT_LEASE = Duration.ofSeconds(2);

  @TempDir Path dir;

  // Each test's own managers, stopped after it.
  @RegisterExtension
  final ServerExtension<ManagerServer> tcp =
      TestServers.tcp(KEY, b -> b.leaseTimeout(LONG_LEASE)).forEachTest();

  @RegisterExtension
  final ServerExtension<ManagerServer> unixSocket =
      TestServers.unixSocket(KEY, () -> dir.resolve("m.sock"), b -> b.leaseTimeout(LONG_LEASE))
          .forEachTest();

  @RegisterExtension
  final ServerExtension<ManagerServer> large =
      TestServers.tcp(KEY, b -> b.maxMessageBytes(LARGE).leaseTimeout(LONG_LEASE)).forEachTest();

  @RegisterExtension
  final ServerExtension<ManagerServer> shortLease =
      TestServers.tcp(KEY, b -> b.leaseTimeout(SHORT_LEASE)).forEachTest();

  private ManagerServer server(String transport) {
    return (transport.equals("unix") ? unixSocket : tcp).server();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "unix"})
  void manyThreadsOnOneSessionEachGetTheirOwnReplies(String transport) throws Exception {
    ManagerServer server = server(transport);
    try (Manager m = Manager.connect(server.target(), KEY)) {
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
    ManagerServer server = server(transport);
    try (Manager m = Manager.connect(server.target(), KEY)) {
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
    int limit = LARGE;
    try (Manager m =
        Manager.builder().authkey(KEY).maxMessageBytes(limit).connect(large.target())) {
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

  /**
   * A large request is framed while it is encoded: a client whose direct memory is far smaller than
   * its message still sends it (a copy of the whole message in a direct buffer would not fit). The
   * child runs the default transport, the caller-driven client.
   */
  @Test
  void aMessageLargerThanTheClientsDirectMemoryIsSent() throws Exception {
    try (ChildJvm client =
        ChildJvm.start(
            ChildJvm.launcher(LargeMessageClient.class)
                .jvmOptions("-XX:MaxDirectMemorySize=4m")
                .arguments(large.target(), new String(KEY, StandardCharsets.UTF_8)),
            "LargeMessageClient")) {
      client.assertSucceeds(Duration.ofSeconds(60));
      assertTrue(client.output().contains("sent and read back 33554432 bytes"), client.output());
    }
  }

  /** The child of {@link #aMessageLargerThanTheClientsDirectMemoryIsSent}: args target, key. */
  static final class LargeMessageClient {
    public static void main(String[] args) throws Exception {
      try (Manager m =
          Manager.builder()
              .authkey(args[1].getBytes(StandardCharsets.UTF_8))
              .maxMessageBytes(LARGE)
              .connect(args[0])) {
        byte[] big = new byte[32 * 1024 * 1024];
        big[big.length - 1] = 7;
        SharedValue<byte[]> value = m.value(new byte[0]);
        value.set(big);
        byte[] back = value.get();
        if (back.length != big.length || back[back.length - 1] != 7) {
          throw new AssertionError("read back " + back.length + " bytes");
        }
        System.out.println("sent and read back " + back.length + " bytes");
      }
    }
  }

  @Test
  void framesCutAnywhereAreReassembled() throws Exception {
    ManagerServer server = server("tcp");
    try (Proxy proxy = new Proxy(server.port(), /* dribble */ true);
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
    ManagerServer server = server("tcp");
    try (Proxy proxy = new Proxy(server.port(), false);
        Manager m = Manager.connect("localhost:" + proxy.port(), KEY)) {
      SharedValue<byte[]> value = m.value(new byte[0]);
      SharedList<Integer> list = m.list();
      // Larger than any window the manager grants: the client must stop part-way.
      byte[] big = new byte[20 * 1024 * 1024];
      new Random(7).nextBytes(big);
      proxy.pauseUpstream(true); // the proxy keeps reading the client, the manager gets nothing
      FutureTask<String> writer =
          start(
              () -> {
                value.set(big);
                return "set";
              });
      FutureTask<String> adder =
          start(
              () -> {
                for (int i = 0; i < 100; i++) {
                  list.add(i);
                }
                return "added";
              });
      // The client has sent DATA up to the last byte of the window it was given, and no further.
      QueueConformanceTest.waitUntil(() -> proxy.dataHeld() > 0 && proxy.sendWindowLeft() == 0);
      assertTrue(proxy.dataHeld() < big.length, "the client sent its request past the window");
      assertFalse(writer.isDone());
      proxy.pauseUpstream(false);
      assertEquals("set", writer.get());
      assertEquals("added", adder.get());
      assertArrayEquals(big, value.get());
      assertEquals(100, list.size());
      assertTrue(proxy.flowControlKept(), "the client sent DATA beyond its send window");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "unix"})
  void anInterruptedReaderHandsTheRoleOnAndLosesNoItem(String transport) throws Exception {
    ManagerServer server = server(transport);
    try (Manager m = Manager.connect(server.target(), KEY)) {
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
    ManagerServer server = shortLease.server();
    try (Manager m = Manager.connect(server.target(), KEY)) {
      SharedList<Integer> list = m.list();
      list.add(1);
      // Three and a half leases without a call: only the idle reader answers the pings.
      Thread.sleep(SHORT_LEASE.multipliedBy(7).dividedBy(2).toMillis());
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
    }
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  /** The child JVM this JVM started after {@code before} was taken (a manager to kill). */
  private static ProcessHandle childStartedSince(Set<Long> before) {
    return ProcessHandle.current()
        .children()
        .filter(p -> !before.contains(p.pid()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aManagerKilledMidCallFailsEveryWaiterWithinASecond() throws Exception {
    Set<Long> before = childPids();
    Manager m = Manager.builder().authkey(KEY).start();
    try {
      ProcessHandle managerJvm = childStartedSince(before);
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

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aManagerKilledWhileALargeMessageIsWrittenFailsTheWriterAndEveryWaiter() throws Exception {
    Set<Long> before = childPids();
    Manager m = Manager.builder().authkey(KEY).start();
    try {
      ProcessHandle managerJvm = childStartedSince(before);
      SharedQueue<String> queue = m.queue();
      SharedValue<byte[]> value = m.value(new byte[0]);
      List<FutureTask<String>> waiters = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiters.add(start(queue::take));
      }
      byte[] big = new byte[16 * 1024 * 1024];
      AtomicInteger sets = new AtomicInteger();
      waiters.add(
          start(
              () -> {
                while (true) {
                  value.set(big); // a 16 MiB request in flight, most of the time, at the kill
                  sets.incrementAndGet();
                }
              }));
      QueueConformanceTest.waitUntil(
          () -> sets.get() > 0 && ClientInternals.describe(m, queue).contains("4 waiting to get"));
      assertTrue(managerJvm.destroyForcibly());
      // Bounded by the method's time-out, not timed: the writer is mostly busy copying its 16 MiB
      // (no waiting), and finds the connection gone only when it next writes, after the waiters.
      for (FutureTask<String> waiter : waiters) {
        ExecutionException e = assertThrows(ExecutionException.class, waiter::get);
        assertInstanceOf(ManagerUnavailableException.class, e.getCause());
      }
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
   * A TCP proxy between client and manager that can cut the bytes into pieces of 1 to 7 bytes, each
   * written alone, both ways, or hold the client's bytes back (a manager that stops reading: the
   * proxy keeps reading and holds them until told to pass them on). It follows HTTP/2 flow control
   * on the way through: the client's DATA against the windows the manager's SETTINGS and
   * WINDOW_UPDATEs grant.
   */
  private static final class Proxy implements AutoCloseable {
    private static final int PREFACE_BYTES = 24;
    private final ServerSocketChannel listener;
    private final int upstreamPort;
    private final boolean dribble;
    private final List<SocketChannel> sockets = new ArrayList<>();
    private final Object pause = new Object();
    private boolean upstreamPaused; // guarded by pause
    private SocketChannel upstream; // guarded by pause
    private final ByteArrayOutputStream held = new ByteArrayOutputStream(); // guarded by pause
    private final FlowLedger ledger = new FlowLedger();

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

    /** Paused: the client's bytes are read and held; unpaused: what was held goes on first. */
    void pauseUpstream(boolean paused) throws IOException {
      synchronized (pause) {
        upstreamPaused = paused;
        if (!paused && held.size() > 0) {
          ByteBuffer bytes = ByteBuffer.wrap(held.toByteArray());
          held.reset();
          while (bytes.hasRemaining()) {
            upstream.write(bytes);
          }
        }
      }
    }

    /** DATA payload bytes the client sent while the manager got nothing. */
    long dataHeld() {
      return ledger.dataWhilePaused();
    }

    /** What the client may still send, by the manager's grants so far. */
    long sendWindowLeft() {
      return ledger.sendWindowLeft();
    }

    boolean flowControlKept() {
      return ledger.kept();
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
          synchronized (pause) {
            upstream = manager;
          }
          pump(client, manager, true);
          pump(manager, client, false);
        }
      } catch (IOException closed) {
        // the proxy closed
      }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean toManager) {
      Thread thread =
          new Thread(
              () -> {
                Random random = new Random(toManager ? 1 : 2);
                FrameScanner frames = new FrameScanner(toManager ? PREFACE_BYTES : 0);
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                try {
                  while (from.read(buffer) >= 0) {
                    buffer.flip();
                    boolean paused = false;
                    if (toManager) {
                      synchronized (pause) {
                        paused = upstreamPaused;
                        frames.scan(buffer.duplicate(), ledger::fromClient, paused);
                        if (paused) {
                          held.write(buffer.array(), buffer.position(), buffer.remaining());
                        } else {
                          write(buffer, to, random);
                        }
                      }
                    } else {
                      frames.scan(buffer.duplicate(), ledger::fromManager, false);
                      write(buffer, to, random);
                    }
                    buffer.clear();
                  }
                } catch (IOException e) {
                  // a side closed
                } finally {
                  try {
                    to.shutdownOutput();
                  } catch (IOException e) {
                    // already closed
                  }
                }
              },
              toManager ? "proxy-up" : "proxy-down");
      thread.setDaemon(true);
      thread.start();
    }

    private void write(ByteBuffer buffer, SocketChannel to, Random random) throws IOException {
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

  /** One HTTP/2 frame seen on the way: type, flags, stream, the payload. */
  private interface FrameSink {
    void frame(int type, int flags, int stream, ByteBuffer payload, boolean paused);
  }

  /** Cuts one direction's bytes into HTTP/2 frames (after the client's preface). */
  private static final class FrameScanner {
    private int skip;
    private ByteBuffer pending = ByteBuffer.allocate(64 * 1024);

    FrameScanner(int preface) {
      this.skip = preface;
    }

    void scan(ByteBuffer bytes, FrameSink sink, boolean paused) {
      int skipped = Math.min(skip, bytes.remaining());
      bytes.position(bytes.position() + skipped);
      skip -= skipped;
      if (pending.remaining() < bytes.remaining()) {
        ByteBuffer larger = ByteBuffer.allocate(2 * (pending.position() + bytes.remaining()));
        pending.flip();
        pending = larger.put(pending);
      }
      pending.put(bytes).flip();
      while (pending.remaining() >= 9) {
        int length =
            (pending.getShort(pending.position()) & 0xFFFF) << 8
                | (pending.get(pending.position() + 2) & 0xFF);
        if (pending.remaining() < 9 + length) {
          break;
        }
        int type = pending.get(pending.position() + 3) & 0xFF;
        int flags = pending.get(pending.position() + 4) & 0xFF;
        int stream = pending.getInt(pending.position() + 5) & 0x7FFFFFFF;
        ByteBuffer payload = pending.slice(pending.position() + 9, length);
        sink.frame(type, flags, stream, payload, paused);
        pending.position(pending.position() + 9 + length);
      }
      pending.compact();
    }
  }

  /** The client's send windows, by the manager's grants and the client's DATA. */
  private static final class FlowLedger {
    private static final int DATA = 0;
    private static final int SETTINGS = 4;
    private static final int WINDOW_UPDATE = 8;
    private static final int INITIAL_WINDOW_SIZE = 4;
    private long connection = 65_535; // guarded by this
    private long initialStreamWindow = 65_535; // guarded by this
    private final Map<Integer, Long> streams = new HashMap<>(); // guarded by this
    private long dataWhilePaused; // guarded by this
    private boolean kept = true; // guarded by this

    synchronized void fromClient(
        int type, int flags, int stream, ByteBuffer payload, boolean paused) {
      if (type != DATA) {
        return;
      }
      int length = payload.remaining();
      connection -= length;
      long streamWindow = stream(stream) - length;
      streams.put(stream, streamWindow);
      kept &= connection >= 0 && streamWindow >= 0;
      if (paused) {
        dataWhilePaused += length;
      }
    }

    synchronized void fromManager(
        int type, int flags, int stream, ByteBuffer payload, boolean paused) {
      if (type == SETTINGS && (flags & 1) == 0) {
        for (int at = payload.position(); at + 6 <= payload.limit(); at += 6) {
          if (payload.getShort(at) == INITIAL_WINDOW_SIZE) {
            long size = payload.getInt(at + 2) & 0xFFFFFFFFL;
            streams.replaceAll((id, window) -> window + size - initialStreamWindow);
            initialStreamWindow = size;
          }
        }
      } else if (type == WINDOW_UPDATE && payload.remaining() == 4) {
        int increment = payload.getInt(payload.position()) & 0x7FFFFFFF;
        if (stream == 0) {
          connection += increment;
        } else {
          streams.put(stream, stream(stream) + increment);
        }
      }
    }

    private long stream(int stream) {
      return streams.getOrDefault(stream, initialStreamWindow);
    }

    synchronized long dataWhilePaused() {
      return dataWhilePaused;
    }

    /** By the one stream that carried DATA (the session's); the connection's if none has yet. */
    synchronized long sendWindowLeft() {
      long left = connection;
      for (long window : streams.values()) {
        left = Math.min(left, window);
      }
      return left;
    }

    synchronized boolean kept() {
      return kept;
    }
  }
}
