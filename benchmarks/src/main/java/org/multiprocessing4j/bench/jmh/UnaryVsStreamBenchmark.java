package org.multiprocessing4j.bench.jmh;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The measurement behind the wire's shape (docs/design-wire.md): one small request and reply as a
 * gRPC unary call, against the same exchange on an open bidirectional stream; both with direct
 * executors on TCP loopback, server in this JVM on its own event loop. The manager uses the stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnaryVsStreamBenchmark {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
  private static final MethodDescriptor<byte[], byte[]> UNARY =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("bench.Echo/Unary")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();
  private static final MethodDescriptor<byte[], byte[]> STREAM =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName("bench.Echo/Stream")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();
  private static final byte[] REQUEST = new byte[32];

  private Server server;
  private ManagedChannel channel;
  private StreamObserver<byte[]> requests;
  private final AtomicReference<CompletableFuture<byte[]>> pending = new AtomicReference<>();

  // the in-JVM server listens on 127.0.0.1 exactly
  @SuppressWarnings("AddressSelection")
  @Setup(Level.Trial)
  public void start() throws IOException {
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder("bench.Echo")
            .addMethod(
                UNARY,
                ServerCalls.asyncUnaryCall(
                    (request, reply) -> {
                      reply.onNext(request);
                      reply.onCompleted();
                    }))
            .addMethod(
                STREAM,
                ServerCalls.asyncBidiStreamingCall(
                    (StreamObserver<byte[]> reply) ->
                        new StreamObserver<byte[]>() {
                          @Override
                          public void onNext(byte[] request) {
                            reply.onNext(request);
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            reply.onCompleted();
                          }
                        }))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .directExecutor()
            .addService(echo)
            .build()
            .start();
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .directExecutor()
            .build();
    requests =
        ClientCalls.asyncBidiStreamingCall(
            channel.newCall(STREAM, CallOptions.DEFAULT),
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] reply) {
                pending.get().complete(reply);
              }

              @Override
              public void onError(Throwable t) {
                pending.get().completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    requests.onCompleted();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Benchmark
  public byte[] unaryCall() {
    return ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, REQUEST);
  }

  @Benchmark
  public byte[] streamRoundTrip() {
    CompletableFuture<byte[]> reply = new CompletableFuture<>();
    pending.set(reply);
    requests.onNext(REQUEST);
    return reply.join();
  }
}
