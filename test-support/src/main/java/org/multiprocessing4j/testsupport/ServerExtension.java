package org.multiprocessing4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.multiprocessing4j.Manager;

/**
 * Gives a test class a manager on a server it configures (TLS, limits, a lease timeout, registered
 * types: what a {@link ManagerTier} leaves at its defaults). Register it with
 * {@code @RegisterExtension} on a static field: the server starts on first use, so a class's
 * {@code @BeforeAll} methods can first make what its options name (certificates), and it stops
 * after the class's tests, after the client sessions opened through this extension. For a fresh
 * server in every test, register {@link #forEachTest()} on an instance field instead. A class may
 * register several, one per configuration.
 *
 * <p>This module does not depend on the server jar (the server's own tests use this module), so the
 * test says how to start its server: a {@link Starter} and how to read a started server's target.
 *
 * <p>Thread-safe: the server and the sessions are created under this object's lock.
 *
 * @param <S> the server's type
 */
public final class ServerExtension<S extends AutoCloseable>
    implements AfterEachCallback, AfterAllCallback {

  /** Starts a server in this JVM that accepts {@code authkey}. */
  @FunctionalInterface
  public interface Starter<S> {
    S start(byte[] authkey) throws IOException;
  }

  private final byte[] authkey;
  private final Starter<? extends S> starter;
  private final Function<? super S, String> target;
  private final boolean closeAfterEachTest;
  private final List<Manager> sessions = new ArrayList<>(); // guarded by this
  private S server; // guarded by this; null until first used and after close
  private Manager manager; // guarded by this; the first session, in sessions too

  private ServerExtension(
      byte[] authkey,
      Starter<? extends S> starter,
      Function<? super S, String> target,
      boolean closeAfterEachTest) {
    this.authkey = authkey.clone();
    this.starter = Objects.requireNonNull(starter, "starter");
    this.target = Objects.requireNonNull(target, "target");
    this.closeAfterEachTest = closeAfterEachTest;
  }

  /**
   * A manager on the server {@code starter} starts, reached at {@code target} of that server.
   *
   * @param authkey the authkey, as text (its UTF-8 bytes)
   */
  public static <S extends AutoCloseable> ServerExtension<S> of(
      String authkey, Starter<? extends S> starter, Function<? super S, String> target) {
    return of(authkey.getBytes(StandardCharsets.UTF_8), starter, target);
  }

  /** As {@link #of(String, Starter, Function)} with the authkey's bytes. */
  public static <S extends AutoCloseable> ServerExtension<S> of(
      byte[] authkey, Starter<? extends S> starter, Function<? super S, String> target) {
    return new ServerExtension<>(authkey, starter, target, false);
  }

  /**
   * The same server configuration, stopped after each test: for an instance field (JUnit calls no
   * class-level callbacks on those), so that every test gets a server of its own.
   */
  public ServerExtension<S> forEachTest() {
    return new ServerExtension<>(authkey, starter, target, true);
  }

  /** The server, started on the first call. */
  public synchronized S server() {
    if (server == null) {
      try {
        server = starter.start(authkey.clone());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the test's manager server", e);
      }
    }
    return server;
  }

  /** Where clients connect. */
  public String target() {
    return target.apply(server());
  }

  /** The authkey (a copy). */
  public byte[] authkey() {
    return authkey.clone();
  }

  /** The first client session to the server, connected on the first call. */
  public synchronized Manager manager() {
    if (manager == null) {
      manager = connect();
    }
    return manager;
  }

  /** A new client session to the server (to the manager, another process), closed with this. */
  public synchronized Manager connect() {
    Manager session = Manager.connect(target(), authkey);
    sessions.add(session);
    return session;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (closeAfterEachTest) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** Closes the sessions, then stops the server; a later use starts a new one. */
  public synchronized void close() {
    try {
      sessions.forEach(Manager::close);
      if (server != null) {
        server.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the test's manager server", e);
    } finally {
      sessions.clear();
      manager = null;
      server = null;
    }
  }

  @Override
  public synchronized String toString() {
    return "ServerExtension[" + (server == null ? "not started" : target.apply(server)) + "]";
  }
}
