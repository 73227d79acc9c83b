package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.testsupport.ChildJvm;

/**
 * A sidecar that rejects connections (garbage, HTTP/1, a bad HTTP/2 preface) logs in one format,
 * SLF4J's: gRPC's and Netty's java.util.logging records go through the bridge, a rejected
 * connection is at most one line at the default level, and stack traces only appear at DEBUG.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RejectedConnectionLoggingTest {
  private static final byte[] KEY = "rejected-connections-key".getBytes(StandardCharsets.UTF_8);

  private static final List<byte[]> REJECTED =
      List.of(
          "\u0000\u0001garbage that is no protocol at all\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1),
          "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII),
          "PRI * HTTP/2.0\r\n\r\nXY\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

  // java.util.logging's SimpleFormatter: "Dec 02, 2026 6:45:01 AM io.grpc..." then "WARNING: ...".
  private static final Pattern JUL_LINE =
      Pattern.compile(
          "^(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): .*"
              + "|^[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M .*");
  private static final Pattern STACK_LINE =
      Pattern.compile(
          "^\\s+at [\\w.$]+\\(.*|^Caused by: .*|^\\s+\\.\\.\\. \\d+ more$"
              + "|^[\\w.$]+(Exception|Error)(: .*)?$");

  @Test
  void rejectedConnections_areOneLineEachInOneFormat_andTheManagerStillServes() throws Exception {
    Path stderr = Files.createTempFile("mp4j-sidecar", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(
            ChildJvm.command(
                List.of(), ManagerMain.class.getName(), "--port", "0", "--exit-with-parent"));
    builder.environment().put(Manager.ENV_AUTHKEY, new String(KEY, StandardCharsets.UTF_8));
    builder.redirectError(stderr.toFile());
    Process sidecar = builder.start();
    try {
      String target = listeningTarget(sidecar);
      String before = Files.readString(stderr);
      int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
      for (byte[] bytes : REJECTED) {
        sendAndAwaitClose(port, bytes);
      }
      try (Manager m = Manager.connect(target, KEY)) {
        SharedList<String> list = m.list();
        list.add("served");
        assertEquals(List.of("served"), list.copy());
      }
      sidecar.destroy(); // SIGTERM: the shutdown hook stops it; every line is written by then
      assertTrue(sidecar.waitFor(60, TimeUnit.SECONDS), "the sidecar did not stop");

      String log = Files.readString(stderr);
      List<String> added = log.substring(before.length()).lines().toList();
      for (String line : log.lines().toList()) {
        assertFalse(JUL_LINE.matcher(line).matches(), "a java.util.logging line:\n" + log);
        assertFalse(STACK_LINE.matcher(line).matches(), "a stack trace:\n" + log);
      }
      long aboutConnections =
          added.stream().filter(line -> !line.contains("shut") && !line.contains("stop")).count();
      assertTrue(
          aboutConnections <= REJECTED.size(),
          "more than one line per rejected connection:\n" + String.join("\n", added));
    } finally {
      sidecar.destroyForcibly();
      sidecar.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(stderr);
    }
  }

  /** Writes {@code bytes} and reads until the manager closes the connection. */
  // the server under test listens on 127.0.0.1, whatever localhost resolves to
  @SuppressWarnings("AddressSelection")
  private static void sendAndAwaitClose(int port, byte[] bytes) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      try {
        while (in.read(buffer) >= 0) {
          // drain whatever the manager answers (a GOAWAY, an HTTP/1 error) until it closes
        }
      } catch (SocketTimeoutException e) {
        fail("the manager did not close a rejected connection");
      } catch (IOException reset) {
        // a reset is a close too
      }
    }
  }

  private static String listeningTarget(Process process) throws IOException, InterruptedException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(ManagerMain.LISTENING_PREFIX)) {
        return line.substring(ManagerMain.LISTENING_PREFIX.length()).trim();
      }
    }
    fail("the manager exited before it was listening (exit code " + process.waitFor() + ")");
    return null;
  }
}
