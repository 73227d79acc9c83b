package org.multiprocessing4j.internal.client;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.proto.v1.ServerMessage;

/**
 * Builds the channel for a target: {@code host:port} (TCP), {@code unix:///path} (Unix domain
 * socket) or {@code inprocess:name} (gRPC's in-memory transport, for tests). Replies are handled on
 * the transport thread (direct executor): completing a future is all the work there is. TCP is
 * plaintext unless TLS is configured; the other two never leave the host, so they take no TLS.
 */
final class Channels {
  // One event loop for every channel of the process; daemon, so it never keeps a JVM up. Ours
  // rather than gRPC's shared default, so that a session can run its batch sends on it
  // (transportExecutor).
  private static final class ClientLoop {
    static final boolean EPOLL = Epoll.isAvailable();
    static final EventLoopGroup GROUP =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("mp4j-client-loop", true),
            EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  private Channels() {}

  /**
   * The thread of every channel's transport: work given to it runs after the replies and writes it
   * is handling, and never behind application code.
   */
  static Executor transportExecutor() {
    return ClientLoop.GROUP.next();
  }

  /** The system property that picks the transport of TCP (plaintext or TLS) and Unix sessions. */
  static final String TRANSPORT_PROPERTY = "mp4j.transport";

  /**
   * The transport of a session with {@code target}: our blocking HTTP/2 client ({@link
   * WireTransport}) for TCP, plaintext or TLS ({@code tls} not null), and Unix sockets, unless
   * {@code -Dmp4j.transport=grpc-java}; grpc-java's client for in-process targets. Both build TLS
   * from the same {@link ClientTls#sslContext}. Connecting happens when the factory is applied; a
   * failure there is a {@link ManagerUnavailableException}.
   */
  static Function<StreamObserver<ServerMessage>, SessionTransport> transportFor(
      String target, int maxMessageBytes, ClientTls tls) {
    String chosen = System.getProperty(TRANSPORT_PROPERTY, "wire");
    if (!chosen.equals("wire") && !chosen.equals("grpc-java")) {
      throw new IllegalArgumentException(
          "-D" + TRANSPORT_PROPERTY + "=" + chosen + ": expected wire or grpc-java");
    }
    if (target.startsWith("inprocess:") || chosen.equals("grpc-java")) {
      ManagedChannel channel = forTarget(target, maxMessageBytes, tls);
      return receiver -> new GrpcStreamTransport(channel, transportExecutor(), receiver);
    }
    SocketAddress address;
    String authority;
    Supplier<SSLEngine> engines;
    if (target.startsWith("unix://")) {
      if (tls != null) {
        throw tlsNotForLocalTargets(target);
      }
      address = UnixDomainSocketAddress.of(target.substring("unix://".length()));
      authority = "localhost";
      engines = () -> null;
    } else {
      HostAndPort hostAndPort = hostAndPort(target);
      address = new InetSocketAddress(hostAndPort.host(), hostAndPort.port());
      authority = target;
      if (tls == null) {
        engines = () -> null;
      } else {
        // Made once, as grpc-java's channel makes it once; an engine per connection.
        SslContext context = tls.sslContext();
        engines = () -> TlsWireBytes.clientEngine(context, hostAndPort.host(), hostAndPort.port());
      }
    }
    int transportLimit = maxMessageBytes + 1024 * 1024;
    return receiver -> {
      try {
        return WireTransport.open(
            target, address, engines.get(), authority, transportLimit, receiver);
      } catch (IOException e) {
        String tlsFailure = ClientTls.describeFailure(target, e);
        throw new ManagerUnavailableException(
            tlsFailure != null
                ? tlsFailure
                : "cannot open a session with "
                    + target
                    + (tls == null ? "" : ": " + e.getMessage()),
            e);
      }
    };
  }

  private static IllegalArgumentException tlsNotForLocalTargets(String target) {
    return new IllegalArgumentException(
        "TLS is for TCP targets only, not "
            + target
            + ": a Unix socket or in-process channel"
            + " never leaves this host");
  }

  private record HostAndPort(String host, int port) {}

  private static HostAndPort hostAndPort(String target) {
    int colon = target.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "bad manager address '"
              + target
              + "': expected host:port, unix:///path or inprocess:name");
    }
    String host = target.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new HostAndPort(host, Integer.parseInt(target.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in manager address '" + target + "'", e);
    }
  }

  /** {@code tls} null: plaintext. */
  static ManagedChannel forTarget(String target, int maxMessageBytes, ClientTls tls) {
    int transportLimit = maxMessageBytes + 1024 * 1024;
    if (tls != null && (target.startsWith("inprocess:") || target.startsWith("unix://"))) {
      throw tlsNotForLocalTargets(target);
    }
    if (target.startsWith("inprocess:")) {
      return InProcessChannelBuilder.forName(target.substring("inprocess:".length()))
          .directExecutor()
          .disableRetry()
          .maxInboundMessageSize(transportLimit)
          .build();
    }
    NettyChannelBuilder builder;
    if (target.startsWith("unix://")) {
      String path = target.substring("unix://".length());
      if (!ClientLoop.EPOLL) {
        throw new IllegalArgumentException(
            "a Unix-socket target ("
                + target
                + ") needs Linux with epoll: "
                + Epoll.unavailabilityCause());
      }
      builder =
          NettyChannelBuilder.forAddress(new DomainSocketAddress(path))
              .channelType(EpollDomainSocketChannel.class)
              .eventLoopGroup(ClientLoop.GROUP)
              // A Unix socket has no TCP keepalive; without this Netty warns on every connect.
              .withOption(ChannelOption.SO_KEEPALIVE, null);
    } else {
      HostAndPort hostAndPort = hostAndPort(target);
      builder =
          NettyChannelBuilder.forAddress(hostAndPort.host(), hostAndPort.port())
              .channelType(ClientLoop.EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
              .eventLoopGroup(ClientLoop.GROUP);
    }
    if (tls != null) {
      // The manager's certificate must name the host dialled (gRPC checks it against the target).
      builder.sslContext(tls.sslContext()).negotiationType(NegotiationType.TLS);
    } else {
      builder.usePlaintext();
    }
    return builder
        .directExecutor()
        // The session stream is never retried (its messages are not idempotent, and a broken
        // stream is a lost session); without retry support gRPC does not buffer every message.
        .disableRetry()
        .maxInboundMessageSize(transportLimit)
        // Notice a manager that stopped answering (paused, or a dead network path) within ~20 s;
        // a manager that exits closes the connection and is noticed at once.
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .build();
  }
}
