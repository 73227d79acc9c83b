package org.multiprocessing4j.bench;

import static org.multiprocessing4j.bench.Measurements.map;
import static org.multiprocessing4j.bench.Measurements.report;
import static org.multiprocessing4j.bench.Measurements.seconds;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The floor under every single-call figure: a 64-byte message each way over a blocking socket
 * between two JVMs, written and read on the calling thread, with nothing else (no gRPC, no HTTP/2,
 * no event loop, no manager). Python's manager is built that way: its client sends and receives on
 * the calling thread. What a call costs us above this floor is what gRPC's transport costs; see
 * docs/benchmarks.md. Prints one JSON line, {@code socket_floor}, with the client's CPU time per
 * round trip.
 *
 * <pre>
 *   SocketFloor [--tcp] [--reps N] [--quick]   the measuring side; starts the echo side itself
 * </pre>
 */
public final class SocketFloor {
  private static final String ECHO = "--echo";
  private static final String READY = "SOCKET_FLOOR_LISTENING ";
  private static final int MESSAGE_BYTES = 64;

  private SocketFloor() {}

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    if (options.contains(ECHO)) {
      echo(options.get(options.indexOf(ECHO) + 1));
      return;
    }
    boolean tcp = options.contains("--tcp");
    boolean quick = options.contains("--quick");
    int at = options.indexOf("--reps");
    int reps = at < 0 ? 3 : Integer.parseInt(options.get(at + 1));
    int n = ManagerBench.operations(quick);
    Path dir = Files.createTempDirectory("mp4j-floor");
    Path socket = dir.resolve("echo.sock");
    try (ManagerProcess echo =
            ManagerProcess.launch(
                Jvm.launcher(SocketFloor.class.getName())
                    .arguments(ECHO, tcp ? "tcp" : socket.toString()),
                READY);
        SocketChannel channel =
            SocketChannel.open(
                tcp
                    ? new InetSocketAddress(
                        InetAddress.getLoopbackAddress(), Integer.parseInt(echo.target))
                    : UnixDomainSocketAddress.of(socket))) {
      if (tcp) {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      }
      ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE_BYTES);
      long pid = ProcessHandle.current().pid();
      List<Double> cpu = new ArrayList<>();
      List<Double> runs =
          Measurements.timed(
              reps,
              () -> {
                long cpu0 = ManagerProcess.Proc.cpuNanos(pid);
                long t = System.nanoTime();
                for (int i = 0; i < n; i++) {
                  transfer(channel, buffer, false);
                  transfer(channel, buffer, true);
                }
                double dt = seconds(t);
                cpu.add((ManagerProcess.Proc.cpuNanos(pid) - cpu0) / 1e3 / n);
                return dt;
              });
      report(
          "socket_floor",
          1,
          n,
          runs,
          map(
              "message_bytes",
              MESSAGE_BYTES,
              "client_cpu_us_per_op",
              Measurements.round(cpu.get(cpu.size() - 1), 1),
              "note",
              "blocking write + read of "
                  + MESSAGE_BYTES
                  + " bytes between two JVMs,"
                  + " no gRPC: the floor under a single call"));
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  /** The echo side: answers each message with itself until the other side or its parent goes. */
  private static void echo(String where) throws IOException {
    boolean tcp = where.equals("tcp");
    SocketAddress bind =
        tcp
            ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)
            : UnixDomainSocketAddress.of(where);
    Thread parentWatch = new Thread(SocketFloor::exitWhenParentGoes, "parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    try (ServerSocketChannel server =
        ServerSocketChannel.open(tcp ? StandardProtocolFamily.INET : StandardProtocolFamily.UNIX)) {
      server.bind(bind);
      // The other side knows the socket's path; over TCP it needs the port.
      System.out.println(
          READY + (tcp ? ((InetSocketAddress) server.getLocalAddress()).getPort() : where));
      try (SocketChannel channel = server.accept()) {
        if (tcp) {
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        while (transfer(channel, buffer, true)) {
          transfer(channel, buffer, false);
        }
      }
    }
  }

  /** Reads or writes one whole message; false when the other side closed. */
  private static boolean transfer(SocketChannel channel, ByteBuffer buffer, boolean read)
      throws IOException {
    buffer.clear();
    while (buffer.hasRemaining()) {
      if (read ? channel.read(buffer) < 0 : channel.write(buffer) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void exitWhenParentGoes() {
    try {
      Jvm.awaitEndOfInput();
    } catch (IOException e) {
      // gone as well
    }
    System.exit(0);
  }
}
