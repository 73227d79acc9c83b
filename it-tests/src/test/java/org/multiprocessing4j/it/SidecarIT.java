package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.internal.launch.JvmLauncher;
import org.multiprocessing4j.testsupport.ChildJvm;

/**
 * The sidecar jar as users run it: {@code java -jar manager-server/target/manager-server.jar},
 * authkey from the environment, on TCP port 0 and on a Unix socket.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SidecarIT {
  private static final String KEY = "sidecar-secret-7f3a";

  private static Path jar() {
    return Path.of(
        System.getProperty("project.root", ".."), "manager-server", "target", "manager-server.jar");
  }

  /** A running sidecar and everything it printed. */
  private static final class Sidecar implements AutoCloseable {
    final Process process;
    final String target;
    final StringBuilder output = new StringBuilder();

    Sidecar(String... options) throws IOException {
      // "java -jar", as users run the sidecar: the jar's manifest names the main class
      List<String> command =
          new ArrayList<>(List.of(JvmLauncher.javaExecutable(), "-jar", jar().toString()));
      command.addAll(List.of(options));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("MP4J_AUTHKEY", KEY);
      process = builder.start();
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      String found = null;
      while (found == null && (line = reader.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith("MP4J_MANAGER_LISTENING ")) {
          found = line.substring("MP4J_MANAGER_LISTENING ".length()).trim();
        }
      }
      if (found == null) {
        throw new AssertionError("the sidecar never listened:\n" + output);
      }
      target = found;
      Thread pump =
          new Thread(
              () -> {
                try {
                  String more;
                  while ((more = reader.readLine()) != null) {
                    synchronized (output) {
                      output.append(more).append('\n');
                    }
                  }
                } catch (IOException e) {
                  // exited
                }
              });
      pump.setDaemon(true);
      pump.start();
    }

    /** SIGTERM, and the exit code. */
    int terminate() throws InterruptedException {
      process.destroy();
      assertTrue(process.waitFor(15, TimeUnit.SECONDS), "the sidecar did not stop on SIGTERM");
      return process.exitValue();
    }

    String output() {
      synchronized (output) {
        return output.toString();
      }
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private static void useFromAWorker(String target) throws Exception {
    try (Manager m = Manager.connect(target, KEY)) {
      SharedList<String> list = m.list();
      try (ChildJvm worker =
          ChildJvm.start(
              Appender.class,
              Map.of("MP4J_MANAGER", target, "MP4J_AUTHKEY", KEY),
              ProxyArgs.encode(list))) {
        worker.assertSucceeds(Duration.ofSeconds(60));
      }
      assertEquals(List.of("from the environment"), list.copy());
    }
  }

  @Test
  void tcpPortZeroHealthAndSigterm() throws Exception {
    try (Sidecar sidecar = new Sidecar("--port", "0", "--log-level", "debug")) {
      assertTrue(sidecar.target.startsWith("127.0.0.1:"), sidecar.target);
      useFromAWorker(sidecar.target);
      int colon = sidecar.target.lastIndexOf(':');
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(
                  sidecar.target.substring(0, colon),
                  Integer.parseInt(sidecar.target.substring(colon + 1)))
              .usePlaintext()
              .build();
      try {
        HealthCheckResponse health =
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
      } finally {
        channel.shutdownNow();
      }
      assertEquals(0, sidecar.terminate());
      assertFalse(sidecar.output().contains(KEY), "the authkey appeared in the output");
    }
  }

  @Test
  void unixSocket() throws Exception {
    Path dir = Files.createTempDirectory("mp4j-sidecar");
    Path socket = dir.resolve("m.sock");
    try (Sidecar sidecar = new Sidecar("--unix-socket", socket.toString())) {
      assertEquals("unix://" + socket.toAbsolutePath(), sidecar.target);
      useFromAWorker(sidecar.target);
      assertEquals(0, sidecar.terminate());
      assertFalse(Files.exists(socket), "the socket file was left behind");
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  /** args: list. Connects only through MP4J_MANAGER and MP4J_AUTHKEY. */
  public static final class Appender {
    private Appender() {}

    public static void main(String[] args) {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedList<String> list = ProxyArgs.decode(m, args[0]);
        list.add("from the environment");
      }
    }
  }
}
