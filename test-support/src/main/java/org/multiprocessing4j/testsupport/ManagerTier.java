package org.multiprocessing4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.Manager;

/**
 * Where a test's manager runs: the tiers a behaviour suite is bound to (see {@link WithManager}).
 * The in-JVM tiers need {@code multiprocessing4j-server} on the test class path; the child-JVM tier
 * starts it from the test's class path as {@code Manager.start()} does.
 *
 * <p>Thread-safe (an enum).
 */
public enum ManagerTier {
  /** In this JVM, over gRPC's in-memory transport: no socket, the fastest tier. */
  IN_MEMORY,
  /** In this JVM, on a real TCP socket on loopback. */
  TCP,
  /** In this JVM, on a real Unix domain socket in a fresh temporary directory. */
  UNIX_SOCKET,
  /** In a child JVM on a TCP socket, as {@code Manager.start()} runs it. */
  CHILD_JVM;

  private static final AtomicLong NAMES = new AtomicLong();

  /** Starts a manager in this tier and connects to it; closing it stops the manager. */
  public HostedManager start(byte[] authkey) {
    Manager.Builder builder = Manager.builder().authkey(authkey);
    Path socketDirectory = null;
    switch (this) {
      case IN_MEMORY ->
          builder.inMemory(
              "mp4j-test-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet());
      case TCP -> builder.hostInProcess().tcp("127.0.0.1", 0);
      case UNIX_SOCKET -> {
        try {
          // a short path: Unix socket paths are limited to about 100 bytes
          socketDirectory = Files.createTempDirectory("mp4j");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        builder.hostInProcess().unixSocket(socketDirectory.resolve("m.sock"));
      }
      case CHILD_JVM -> builder.hostInChildProcess().tcp("127.0.0.1", 0);
    }
    return new HostedManager(this, builder.start(), authkey, socketDirectory);
  }
}
