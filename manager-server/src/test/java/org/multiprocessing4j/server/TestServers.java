package org.multiprocessing4j.server;

import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * The one place this module's tests start a {@link ManagerServer} configured for a test (TLS,
 * limits, a lease timeout, registered types), on loopback TCP or a Unix socket: handed to
 * test-support's {@link ServerExtension}, which starts it on first use and stops it after the test
 * class. Tests of a default manager use {@code @WithManager} instead.
 *
 * <p>Stateless.
 */
public final class TestServers {
  private TestServers() {}

  /** A server on a free loopback port with the default options. */
  public static ServerExtension<ManagerServer> tcp(byte[] authkey) {
    return tcp(authkey, UnaryOperator.identity());
  }

  /** A server on a free loopback port with {@code options} applied to its builder. */
  public static ServerExtension<ManagerServer> tcp(
      byte[] authkey, UnaryOperator<ManagerServer.Builder> options) {
    return ServerExtension.of(
        authkey,
        key ->
            options.apply(ManagerServer.builder().authkey(key).tcp("127.0.0.1", 0)).build().start(),
        ManagerServer::target);
  }

  /**
   * A server on a Unix domain socket at {@code path} (asked when it starts), with {@code options}.
   */
  public static ServerExtension<ManagerServer> unixSocket(
      byte[] authkey, Supplier<Path> path, UnaryOperator<ManagerServer.Builder> options) {
    return ServerExtension.of(
        authkey,
        key ->
            options
                .apply(ManagerServer.builder().authkey(key))
                .unixSocket(path.get())
                .build()
                .start(),
        ManagerServer::target);
  }
}
