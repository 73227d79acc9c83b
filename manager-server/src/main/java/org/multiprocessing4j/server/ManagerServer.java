package org.multiprocessing4j.server;

import static java.util.Objects.requireNonNull;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.multiprocessing4j.internal.wire.NettyStartup;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Goodbye;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A manager: holds shared objects and serves clients over gRPC (TCP, a Unix domain socket, or an
 * in-process channel for tests). Embed it with {@link #builder()}, or run it as its own process
 * with {@link ManagerMain}. Over TCP it can serve TLS ({@link Builder#tls}), optionally requiring
 * client certificates ({@link Builder#clientTrust}); the authkey handshake runs inside TLS as well.
 *
 * <pre>{@code
 * try (ManagerServer server = ManagerServer.builder().authkey(key).tcp("localhost", 0).build().start()) {
 *   Manager m = Manager.connect(server.target(), key);
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Calls are served on the transport's threads (a direct executor): referents never
 * block, so a few threads serve any number of clients, including any number of blocked waiters.
 */
public final class ManagerServer implements AutoCloseable {
  static {
    NettyStartup.apply(); // before this class touches gRPC's Netty
  }

  private static final Logger log = LoggerFactory.getLogger(ManagerServer.class);

  /** Default upper bound for one message, in bytes. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** Default upper bound for the objects one client session holds proxies of. */
  public static final int DEFAULT_MAX_OBJECTS_PER_SESSION = 1_000_000;

  // Unless configured, the replies held for a client that is not reading them may add up to this
  // many of the largest messages: two such replies may queue up behind each other.
  private static final int DEFAULT_MAX_BYTES_PER_SESSION_IN_MESSAGES = 2;
  static final String VERSION = "0.1.0";

  private final Server server;
  private final ManagerState state;
  private final ScheduledExecutorService timer;
  private final HealthStatusManager health;
  private final EventLoopGroup eventLoops;
  private final Path unixSocket;
  private final String inProcessName;
  private final String advertisedHost;
  private final String security;
  private final AtomicBoolean stopping = new AtomicBoolean();

  private ManagerServer(Builder builder) {
    DescriptorWarmUp.start();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "mp4j-manager-timer");
              thread.setDaemon(true);
              return thread;
            });
    this.state = new ManagerState(timer);
    Replies replies = new Replies(state, builder.maxMessageBytes);
    Dispatcher dispatcher =
        new Dispatcher(
            state,
            builder.registry,
            replies,
            this::shutdownAsync,
            builder.maxObjectsPerSession,
            new MessageLimits(builder.maxMessageBytes));
    BindableService service =
        new ManagerGrpcService(
            dispatcher,
            builder.authkey,
            builder.maxMessageBytes,
            builder.maxBytesPerSession(),
            VERSION,
            new Lease(timer, builder.leaseTimeout));
    this.health = new HealthStatusManager();
    this.unixSocket = builder.unixSocket;
    this.inProcessName = builder.inProcessName;
    this.advertisedHost = builder.host;
    this.security =
        builder.tlsCertChain == null
            ? ""
            : builder.tlsClientTrust == null ? " (TLS)" : " (TLS, client certificates required)";
    int transportLimit = transportLimit(builder.maxMessageBytes);
    ServerBuilder<?> serverBuilder;
    EventLoopGroup loops = null;
    if (builder.customServerBuilder != null) {
      serverBuilder = builder.customServerBuilder;
    } else if (inProcessName != null) {
      serverBuilder = InProcessServerBuilder.forName(inProcessName);
    } else {
      NettyServerBuilder netty;
      if (unixSocket != null) {
        loops = eventLoops(builder.eventLoopThreads, EpollIoHandler.newFactory());
        netty =
            NettyServerBuilder.forAddress(new DomainSocketAddress(unixSocket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loops)
                .workerEventLoopGroup(loops)
                // gRPC sets TCP keepalive on every connection; a Unix socket has none, and Netty
                // would warn once per connection. The lease below is gRPC's own keepalive.
                .withChildOption(ChannelOption.SO_KEEPALIVE, null);
      } else {
        boolean epoll = Epoll.isAvailable();
        loops =
            eventLoops(
                builder.eventLoopThreads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        netty =
            NettyServerBuilder.forAddress(bindAddress(builder.host, builder.port))
                .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .bossEventLoopGroup(loops)
                .workerEventLoopGroup(loops);
        if (builder.tlsCertChain != null) {
          netty.sslContext(sslContext(builder));
        }
      }
      long leaseNanos = builder.leaseTimeout.toNanos();
      // The lease: a client whose connection stops answering keepalive pings is dropped, and its
      // session (references, locks) is released.
      netty
          .keepAliveTime(leaseNanos / 2, TimeUnit.NANOSECONDS)
          .keepAliveTimeout(leaseNanos / 2, TimeUnit.NANOSECONDS)
          .permitKeepAliveTime(1, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .maxInboundMessageSize(transportLimit);
      serverBuilder = netty;
    }
    this.eventLoops = loops;
    this.server =
        serverBuilder
            .directExecutor()
            .addService(service)
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance())
            .build();
  }

  /**
   * The network threads: daemons, as gRPC's own shared ones are, so a program that never closes its
   * server still exits (the manager's mains wait for the server's termination themselves).
   */
  private static EventLoopGroup eventLoops(int threads, IoHandlerFactory handlers) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory("mp4j-manager-io", true), handlers);
  }

  /**
   * The largest message gRPC reads for us. A request over our own limit gets our clear {@code
   * MESSAGE_TOO_LARGE} and the session goes on, but only if gRPC hands it to us: past its own limit
   * it resets the stream, which ends the session. gRPC cannot skip a message without reading it, so
   * the limit cannot be unbounded either; twice ours plus 1 MiB covers a client that does not check
   * (ours learn the limit at the handshake and never send more). docs/design-wire.md.
   */
  static int transportLimit(int maxMessageBytes) {
    return (int) Math.min(Integer.MAX_VALUE, 2L * maxMessageBytes + 1024 * 1024);
  }

  private static SslContext sslContext(Builder builder) {
    try {
      SslContextBuilder ssl =
          GrpcSslContexts.forServer(builder.tlsCertChain.toFile(), builder.tlsPrivateKey.toFile());
      if (builder.tlsClientTrust != null) {
        ssl.trustManager(builder.tlsClientTrust.toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return ssl.build();
    } catch (IOException | RuntimeException e) {
      // Netty reports a bad PEM as SSLException or IllegalArgumentException; name the files.
      throw new IllegalArgumentException(
          "cannot load the TLS certificate chain "
              + builder.tlsCertChain
              + " and private key "
              + builder.tlsPrivateKey
              + (builder.tlsClientTrust == null
                  ? ""
                  : " or the client CAs " + builder.tlsClientTrust)
              + " (PEM files; the key unencrypted PKCS#8): "
              + e.getMessage(),
          e);
    }
  }

  private static InetSocketAddress bindAddress(String host, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot resolve host '" + host + "'", e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds and starts serving. */
  public ManagerServer start() throws IOException {
    if (unixSocket != null) {
      Files.deleteIfExists(unixSocket);
    }
    server.start();
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(
        org.multiprocessing4j.proto.v1.ManagerServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    log.info("manager serving at {}{}", target(), security);
    return this;
  }

  /**
   * The address clients pass to {@code Manager.connect}: {@code host:port}, {@code
   * unix:///path/to.sock}, or {@code inprocess:name}.
   */
  public String target() {
    if (unixSocket != null) {
      return "unix://" + unixSocket.toAbsolutePath();
    }
    if (inProcessName != null) {
      return "inprocess:" + inProcessName;
    }
    if (server.getListenSockets().isEmpty()) {
      return "custom";
    }
    InetSocketAddress bound = (InetSocketAddress) server.getListenSockets().get(0);
    String host = bound.getAddress().isAnyLocalAddress() ? "localhost" : advertisedHost;
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
  }

  /** The TCP port bound, or -1 for other transports. */
  public int port() {
    return server.getPort();
  }

  /** Number of live shared objects. */
  public int objectCount() {
    return state.objectCount();
  }

  /** Number of open client sessions. */
  public int sessionCount() {
    return state.locked(state::sessionCount);
  }

  /**
   * Number of sessions whose requests wait for their client to read the replies it left unread (see
   * {@link Builder#maxBytesPerSession}); for tests and diagnostics.
   */
  int pausedSessionCount() {
    return state.locked(state::pausedSessionCount);
  }

  /**
   * Shuts down gracefully: sessions are told the manager is shutting down (their calls fail with
   * {@code MANAGER_SHUT_DOWN}), parked calls are withdrawn, objects freed, and the server stops.
   * Idempotent; a call while another thread shuts the manager down (a client's shutdown request)
   * waits for that to finish, so that on return the port is free to bind again.
   */
  // the event loops finish on their own; shutdown does not wait for them
  @SuppressWarnings("FutureReturnValueIgnored")
  public void shutdown() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopStartedElsewhere();
      return;
    }
    health.enterTerminalState();
    ServerMessage goodbye =
        ServerMessage.newBuilder()
            .setGoodbye(
                Goodbye.newBuilder()
                    .setCode(ErrorCode.MANAGER_SHUT_DOWN)
                    .setMessage("the manager was shut down"))
            .build();
    state.locked(
        () ->
            state.shutDown(
                session ->
                    state.enqueueSend(
                        () -> {
                          session.output.send(goodbye);
                          session.output.close();
                        })));
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
    if (eventLoops != null) {
      eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (unixSocket != null) {
      try {
        Files.deleteIfExists(unixSocket);
      } catch (IOException e) {
        log.warn("could not remove socket file {}", unixSocket, e);
      }
    }
    log.info("manager shut down");
  }

  private void awaitStopStartedElsewhere() {
    try {
      // Bounded: called on a transport thread the stop needs, it must not wait for long.
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void shutdownAsync() {
    Thread thread = new Thread(this::shutdown, "mp4j-manager-shutdown");
    thread.setDaemon(false);
    thread.start();
  }

  /**
   * Waits until the server has stopped (after {@link #shutdown} or a client's shutdown request).
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return server.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    shutdown();
  }

  /** Configures a {@link ManagerServer}. Not thread-safe. */
  public static final class Builder {
    private final TypeRegistry registry = TypeRegistry.withBuiltins();
    private byte[] authkey;
    private String host = InetAddress.getLoopbackAddress().getHostAddress();
    private int port;
    private Path unixSocket;
    private String inProcessName;
    private ServerBuilder<?> customServerBuilder;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private int maxObjectsPerSession = DEFAULT_MAX_OBJECTS_PER_SESSION;
    private long maxBytesPerSession; // 0: the default, a multiple of maxMessageBytes
    private Duration leaseTimeout = Duration.ofSeconds(10);
    private int eventLoopThreads = defaultEventLoopThreads();
    private Path tlsCertChain;
    private Path tlsPrivateKey;
    private Path tlsClientTrust;

    private Builder() {}

    /** The shared secret every client must prove it holds. Required. */
    public Builder authkey(byte[] key) {
      this.authkey = requireNonNull(key, "authkey").clone();
      return this;
    }

    /** Serve TCP on {@code host:port}; port 0 picks a free port. Default: loopback, port 0. */
    public Builder tcp(String host, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.host = requireNonNull(host, "host");
      this.port = port;
      this.unixSocket = null;
      this.inProcessName = null;
      return this;
    }

    /** Serve on a Unix domain socket at {@code path} (an existing file there is replaced). */
    public Builder unixSocket(Path path) {
      this.unixSocket = requireNonNull(path, "path").toAbsolutePath();
      this.inProcessName = null;
      return this;
    }

    /** Serve on gRPC's in-process transport under {@code name} (fast unit tests). */
    public Builder inProcess(String name) {
      this.inProcessName = requireNonNull(name, "name");
      this.unixSocket = null;
      return this;
    }

    /**
     * Serve on a server builder the caller configured (transport, TLS, interceptors). The manager
     * adds its services and a direct executor.
     */
    public Builder serverBuilder(ServerBuilder<?> serverBuilder) {
      this.customServerBuilder = requireNonNull(serverBuilder, "serverBuilder");
      return this;
    }

    /**
     * Most objects one client session may hold proxies of (default {@value
     * #DEFAULT_MAX_OBJECTS_PER_SESSION}); a create or attach beyond it gets {@code LIMIT_EXCEEDED},
     * and the manager keeps serving everyone else.
     */
    public Builder maxObjectsPerSession(int objects) {
      if (objects < 1) {
        throw new IllegalArgumentException("maxObjectsPerSession must be at least 1");
      }
      this.maxObjectsPerSession = objects;
      return this;
    }

    /**
     * The most bytes of replies the manager holds for one client that is not reading them. A
     * client's own pipelined calls never take it there: while about 1 MiB of its replies is unread,
     * the manager reads no further request from it. What can is replies to calls parked for it that
     * other sessions complete (takes, lock acquisitions), with the client frozen or slower than
     * them. Past the limit the manager ends that client's session, releasing its references and
     * locks as an expired lease does; the replies already sent still reach the client if it reads
     * on, then its calls fail with {@code ManagerException} code {@code LIMIT_EXCEEDED}. Default:
     * twice {@link #maxMessageBytes} (128 MiB with the default message limit); at least {@link
     * #maxMessageBytes}, or the largest reply could never be sent.
     */
    public Builder maxBytesPerSession(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBytesPerSession must be at least 1024");
      }
      this.maxBytesPerSession = bytes;
      return this;
    }

    private long maxBytesPerSession() {
      return maxBytesPerSession != 0
          ? maxBytesPerSession
          : (long) DEFAULT_MAX_BYTES_PER_SESSION_IN_MESSAGES * maxMessageBytes;
    }

    /**
     * Serve TCP over TLS with this certificate chain and private key (PEM; the key unencrypted
     * PKCS#8, as {@code openssl genpkey} writes it). Clients connect with {@code
     * Manager.builder().tls(caPem)}; the certificate must name the host they dial (subjectAltName).
     * TCP only: a Unix socket or in-process channel never leaves the host.
     */
    public Builder tls(Path certChainPem, Path privateKeyPem) {
      this.tlsCertChain = readable(certChainPem, "TLS certificate chain");
      this.tlsPrivateKey = readable(privateKeyPem, "TLS private key");
      return this;
    }

    /**
     * Mutual TLS: every client must present a certificate signed by one of the certificates in this
     * PEM file ({@code Manager.builder().tlsClientCertificate(...)}), or its connection is refused
     * before any message. Needs {@link #tls}.
     */
    public Builder clientTrust(Path trustedCertsPem) {
      this.tlsClientTrust = readable(trustedCertsPem, "TLS client CA file");
      return this;
    }

    private static Path readable(Path path, String what) {
      requireNonNull(path, what);
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException("cannot read the " + what + " " + path.toAbsolutePath());
      }
      return path;
    }

    /** Largest message accepted or sent; larger ones get a {@code MESSAGE_TOO_LARGE} error. */
    public Builder maxMessageBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * How long an unresponsive client keeps its session (references and locks) before the manager
     * drops it. Default 10 s.
     */
    public Builder leaseTimeout(Duration timeout) {
      if (timeout.compareTo(Duration.ofSeconds(2)) < 0) {
        throw new IllegalArgumentException("leaseTimeout must be at least 2 s");
      }
      this.leaseTimeout = timeout;
      return this;
    }

    /**
     * The network threads that read, decode and answer clients' messages (default: one per four
     * CPUs, at least one). Requests run one at a time under the manager's lock whichever thread
     * reads them, so more threads only share the framing and system calls; and a reply to a client
     * served by another thread (a queue item handed to a waiting consumer, a lock to a waiting
     * owner) costs a hand-off between threads. On two CPUs one thread costs the manager about a
     * seventh less CPU per call with several clients ({@code docs/benchmarks.md}).
     */
    public Builder eventLoopThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("eventLoopThreads must be at least 1, not " + threads);
      }
      this.eventLoopThreads = threads;
      return this;
    }

    private static int defaultEventLoopThreads() {
      return Math.max(1, Runtime.getRuntime().availableProcessors() / 4);
    }

    /**
     * Registers a user type (Python's {@code register(typeid, callable, exposed=...)}): {@code
     * factory} builds an instance from the create arguments; clients may call exactly the methods
     * of {@code exposedInterface}. Methods run under the manager's lock and must not block.
     */
    public <T> Builder register(
        String typeId, Function<List<Object>, ? extends T> factory, Class<T> exposedInterface) {
      requireNonNull(typeId, "typeId");
      requireNonNull(factory, "factory");
      requireNonNull(exposedInterface, "exposedInterface");
      if (!exposedInterface.isInterface()) {
        throw new IllegalArgumentException(exposedInterface.getName() + " is not an interface");
      }
      registry.registerUserType(typeId, factory, exposedInterface);
      return this;
    }

    public ManagerServer build() {
      if (authkey == null) {
        throw new IllegalStateException("an authkey is required");
      }
      if (tlsClientTrust != null && tlsCertChain == null) {
        throw new IllegalStateException(
            "clientTrust (mutual TLS) needs tls(certChain, privateKey)");
      }
      if (tlsCertChain != null && (unixSocket != null || inProcessName != null)) {
        throw new IllegalArgumentException(
            "TLS is for TCP only: a "
                + (unixSocket != null ? "Unix socket" : "in-process channel")
                + " never leaves this host (protect a socket with file permissions)");
      }
      if (maxBytesPerSession() < maxMessageBytes) {
        throw new IllegalArgumentException(
            "maxBytesPerSession ("
                + maxBytesPerSession
                + ") must be at least maxMessageBytes ("
                + maxMessageBytes
                + "): a reply of the largest size could never be sent");
      }
      if (tlsCertChain != null && customServerBuilder != null) {
        throw new IllegalArgumentException(
            "tls(...) does not apply to a custom serverBuilder: configure TLS on that builder");
      }
      return new ManagerServer(this);
    }
  }
}
