package org.multiprocessing4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When {@link ServerExtension} starts and stops its server, with a stand-in server (the manager
 * server's own tests run it against real ones). JUnit's callbacks are called directly: they do not
 * read their context.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerExtensionTest {

  /** Counts as a server: started with a key, closed once. */
  private static final class FakeServer implements AutoCloseable {
    final byte[] authkey;
    final int number;
    boolean closed;

    FakeServer(byte[] authkey, int number) {
      this.authkey = authkey;
      this.number = number;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final List<FakeServer> started = new ArrayList<>();

  private FakeServer start(byte[] authkey) {
    FakeServer server = new FakeServer(authkey, started.size() + 1);
    started.add(server);
    return server;
  }

  private ServerExtension<FakeServer> extension() {
    return ServerExtension.of("the-key", this::start, s -> "fake:" + s.number);
  }

  @Test
  void theServerStartsOnFirstUseOnceWithTheAuthkey() {
    ServerExtension<FakeServer> extension = extension();
    assertEquals(List.of(), started, "nothing starts before it is used");
    FakeServer server = extension.server();
    assertSame(server, extension.server());
    assertEquals("fake:1", extension.target());
    assertEquals(1, started.size());
    assertArrayEquals("the-key".getBytes(StandardCharsets.UTF_8), server.authkey);
    assertArrayEquals("the-key".getBytes(StandardCharsets.UTF_8), extension.authkey());
  }

  @Test
  void aClassScopedServerOutlivesEachTestAndStopsAfterTheClass() {
    ServerExtension<FakeServer> extension = extension();
    FakeServer server = extension.server();
    extension.afterEach(null);
    assertFalse(server.closed, "stopped after a test");
    assertSame(server, extension.server());
    extension.afterAll(null);
    assertTrue(server.closed);
    // A later use (the next class binding the same suite) starts a new one.
    assertEquals("fake:2", extension.target());
  }

  @Test
  void aServerForEachTestStopsAfterEachTest() {
    ServerExtension<FakeServer> extension = extension().forEachTest();
    FakeServer first = extension.server();
    extension.afterEach(null);
    assertTrue(first.closed);
    FakeServer second = extension.server();
    assertEquals(2, second.number);
    assertFalse(second.closed);
  }

  @Test
  void anUnusedExtensionStartsNothingWhenItStops() {
    ServerExtension<FakeServer> extension = extension();
    extension.afterAll(null);
    assertEquals(List.of(), started);
  }

  @Test
  void aServerThatCannotStartFailsTheTestThatUsesIt() {
    ServerExtension<FakeServer> extension =
        ServerExtension.of(
            "k",
            key -> {
              throw new IOException("address in use");
            },
            s -> "never");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, extension::server);
    assertEquals("address in use", e.getCause().getMessage());
  }
}
