package org.multiprocessing4j.internal.client;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ManagerServiceGrpc;
import org.multiprocessing4j.proto.v1.ServerMessage;

/**
 * The session stream over grpc-java's client: the manager's messages arrive on the transport thread
 * ({@code mp4j-client-loop}), which also sends the queued asynchronous requests; a caller waits on
 * its reply's future, spinning briefly first ({@link ReplySpin}). Serves in-process targets, and
 * every target (TLS included) under {@code -Dmp4j.transport=grpc-java}.
 *
 * <p>Thread safety: thread-safe; the request stream, which is not, is used under {@code
 * streamLock}.
 */
final class GrpcStreamTransport implements SessionTransport {
  private final ManagedChannel channel;
  private final Executor transportThread;
  private final ReplySpin replySpin = ReplySpin.fromSystemProperties();
  private final Object streamLock = new Object();

  @GuardedBy("streamLock")
  private final ClientCallStreamObserver<ClientMessage> requests;

  GrpcStreamTransport(
      ManagedChannel channel, Executor transportThread, StreamObserver<ServerMessage> receiver) {
    this.channel = channel;
    this.transportThread = transportThread;
    Receiver forwarding = new Receiver(receiver);
    ManagerServiceGrpc.newStub(channel).session(forwarding);
    this.requests = forwarding.requestStream;
  }

  @Override
  public void send(ClientMessage message) {
    synchronized (streamLock) {
      requests.onNext(message);
    }
  }

  @Override
  public void sendUnordered(ClientMessage message) {
    send(message);
  }

  @Override
  public void drainSoon(Runnable drain) {
    try {
      transportThread.execute(drain);
    } catch (RejectedExecutionException e) {
      drain.run(); // the process is exiting: send from here
    }
  }

  @Override
  public void expectReplyWithoutWaiter(Future<?> reply) {
    // the transport thread reads every reply anyway
  }

  @Override
  public void await(Future<?> reply, boolean interruptibly) throws InterruptedException {
    replySpin.spinFor(reply);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          reply.get();
          return;
        } catch (ExecutionException e) {
          return; // the caller reads the failure from the future
        } catch (InterruptedException e) {
          if (interruptibly) {
            throw e;
          }
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean await(Future<?> reply, long timeoutNanos) throws InterruptedException {
    try {
      reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      // the caller reads the failure from the future
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  @Override
  public void halfClose() {
    synchronized (streamLock) {
      try {
        requests.onCompleted();
      } catch (RuntimeException e) {
        // the stream already failed
      }
    }
  }

  @Override
  public void shutdown() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Hands the manager's messages on, and keeps the request stream gRPC gives before the start. */
  private static final class Receiver
      implements ClientResponseObserver<ClientMessage, ServerMessage> {
    private final StreamObserver<ServerMessage> session;
    ClientCallStreamObserver<ClientMessage> requestStream;

    Receiver(StreamObserver<ServerMessage> session) {
      this.session = session;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ClientMessage> requestStream) {
      this.requestStream = requestStream;
    }

    @Override
    public void onNext(ServerMessage message) {
      session.onNext(message);
    }

    @Override
    public void onError(Throwable t) {
      session.onError(t);
    }

    @Override
    public void onCompleted() {
      session.onCompleted();
    }
  }
}
