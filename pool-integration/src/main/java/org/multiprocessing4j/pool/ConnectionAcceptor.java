package org.multiprocessing4j.pool;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a pool's workers connect back: accepts connections on a {@link PoolSocket}, checks each
 * one's hello (the magic, this pool's token, a worker id the pool expects) and hands the connection
 * to whoever {@linkplain #expect expects} that worker; anything else is hung up on. Thread-safe.
 */
final class ConnectionAcceptor implements AutoCloseable {
  private final PoolSocket server;
  private final byte[] token = new byte[Wire.TOKEN_BYTES];
  private final Map<Long, CompletableFuture<PoolSocket.Connection>> pending =
      new ConcurrentHashMap<>();

  private ConnectionAcceptor(PoolSocket server) {
    this.server = server;
    new SecureRandom().nextBytes(token);
  }

  /** Opens the socket ({@code unixDomain} if it can) and starts accepting on a daemon thread. */
  static ConnectionAcceptor open(boolean unixDomain) throws IOException {
    ConnectionAcceptor acceptor = new ConnectionAcceptor(PoolSocket.open(unixDomain));
    Thread thread = new Thread(acceptor::acceptConnections, "mp4j-pool-acceptor");
    thread.setDaemon(true);
    thread.start();
    return acceptor;
  }

  /** Where workers connect: a {@link PoolSocket} address. */
  String address() {
    return server.address();
  }

  /** The token a worker must present; a copy. */
  byte[] token() {
    return token.clone();
  }

  /** The connection of worker {@code workerId}, once it connected and presented the token. */
  CompletableFuture<PoolSocket.Connection> expect(long workerId) {
    return pending.computeIfAbsent(workerId, id -> new CompletableFuture<>());
  }

  /** No longer expects {@code workerId}; if it connected meanwhile, hangs up (it then exits). */
  void forget(long workerId) {
    CompletableFuture<PoolSocket.Connection> connection = pending.remove(workerId);
    if (connection != null
        && !connection.completeExceptionally(new IOException("abandoned"))
        && !connection.isCompletedExceptionally()) {
      connection.join().close();
    }
  }

  /** Stops accepting. Idempotent. */
  void stopAccepting() {
    server.close();
  }

  /** Stops accepting and abandons every expected connection. Idempotent. */
  @Override
  public void close() {
    server.close();
    for (Long workerId : List.copyOf(pending.keySet())) {
      forget(workerId);
    }
  }

  /** Each hello is read on its own short-lived thread. */
  private void acceptConnections() {
    while (true) {
      PoolSocket.Connection connection;
      try {
        connection = server.accept();
      } catch (IOException e) {
        return; // the pool is done
      }
      // A local process that connects and sends nothing must not delay the workers.
      Thread hello = new Thread(() -> readHello(connection), "mp4j-pool-hello");
      hello.setDaemon(true);
      hello.start();
    }
  }

  /** A worker's hello: the magic, the worker's id and this pool's token. */
  private void readHello(PoolSocket.Connection connection) {
    try {
      byte[] presented = new byte[Wire.TOKEN_BYTES];
      int magic = connection.in.readInt();
      long workerId = connection.in.readLong();
      connection.in.readFully(presented);
      CompletableFuture<PoolSocket.Connection> expected =
          magic == Wire.MAGIC && MessageDigest.isEqual(presented, token)
              ? pending.remove(workerId)
              : null;
      if (expected == null || !expected.complete(connection)) {
        connection.close();
      }
    } catch (IOException e) {
      connection.close();
    }
  }
}
