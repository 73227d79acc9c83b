package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.proto.v1.Authenticate;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.Create;
import org.multiprocessing4j.proto.v1.Hello;
import org.multiprocessing4j.proto.v1.Invoke;
import org.multiprocessing4j.proto.v1.ManagerServiceGrpc;
import org.multiprocessing4j.proto.v1.Pong;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.proto.v1.Welcome;

/**
 * A Session stream driven by hand, for tests that must send what no real client would: whatever
 * ClientMessages the test builds, in whatever order. Records everything the manager sends back and
 * how the stream ended. Used from one test thread.
 */
final class RawSession implements AutoCloseable {
  /** Upper bound for any single wait: generous for a loaded 2-core machine, never a sleep. */
  static final Duration WAIT = Duration.ofSeconds(10);

  // Put in the inbox when the stream ends, so a waiting take() wakes at once instead of timing out.
  private static final Object END = new Object();

  private final StreamObserver<ClientMessage> requests;
  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final List<ServerMessage> received = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Status> end = new CompletableFuture<>();
  private final boolean readOnRequest;
  private volatile Metadata endTrailers;
  private volatile ClientCallStreamObserver<ClientMessage> call;
  private boolean halfClosed;

  RawSession(ManagedChannel channel) {
    this(channel, false);
  }

  /**
   * A session that reads the manager's messages only as the test asks ({@link #request}): a client
   * that stops reading its replies. Ask for two before {@link #handshake}.
   */
  static RawSession readingOnRequest(ManagedChannel channel) {
    return new RawSession(channel, true);
  }

  private RawSession(ManagedChannel channel, boolean readOnRequest) {
    this.readOnRequest = readOnRequest;
    this.requests =
        ManagerServiceGrpc.newStub(channel)
            .session(
                new ClientResponseObserver<ClientMessage, ServerMessage>() {
                  @Override
                  public void beforeStart(ClientCallStreamObserver<ClientMessage> requestStream) {
                    call = requestStream;
                    if (readOnRequest) {
                      requestStream.disableAutoRequestWithInitial(0);
                    }
                  }

                  @Override
                  public void onNext(ServerMessage message) {
                    received.add(message);
                    inbox.add(message);
                  }

                  @Override
                  public void onError(Throwable t) {
                    endTrailers = Status.trailersFromThrowable(t);
                    end.complete(Status.fromThrowable(t));
                    inbox.add(END);
                  }

                  @Override
                  public void onCompleted() {
                    end.complete(Status.OK);
                    inbox.add(END);
                  }
                });
  }

  /** A plaintext channel to a manager's real TCP port, as any process on the host could open. */
  static ManagedChannel channel(String target) {
    return NettyChannelBuilder.forTarget(target).usePlaintext().build();
  }

  /** Lets the manager deliver {@code messages} more (a {@link #readingOnRequest} session). */
  void request(int messages) {
    call.request(messages);
  }

  void send(ClientMessage message) {
    requests.onNext(message);
  }

  void send(Request request) {
    send(ClientMessage.newBuilder().setRequest(request).build());
  }

  /** Sends Hello with {@code clientNonce}; returns the server nonce of the Challenge. */
  byte[] hello(byte[] clientNonce) {
    return hello(clientNonce, 0);
  }

  /**
   * Sends Hello saying this client takes messages of at most {@code maxMessageBytes} (0: not said).
   */
  byte[] hello(byte[] clientNonce, int maxMessageBytes) {
    send(
        ClientMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setProtocolVersion(Handshake.PROTOCOL_VERSION)
                    .setClientNonce(ByteString.copyFrom(clientNonce))
                    .setClientName("raw-test-client")
                    .setPid(ProcessHandle.current().pid())
                    .setMaxMessageBytes(maxMessageBytes))
            .build());
    ServerMessage challenge = take();
    assertTrue(challenge.hasChallenge(), () -> "expected a Challenge, got " + challenge);
    byte[] serverNonce = challenge.getChallenge().getServerNonce().toByteArray();
    assertEquals(Handshake.NONCE_BYTES, serverNonce.length);
    return serverNonce;
  }

  void authenticate(byte[] digest) {
    send(
        ClientMessage.newBuilder()
            .setAuthenticate(Authenticate.newBuilder().setDigest(ByteString.copyFrom(digest)))
            .build());
  }

  /** A full, valid handshake; also checks the manager proved it holds the key. */
  Welcome handshake(byte[] key) {
    return handshake(key, 0);
  }

  /** {@link #handshake(byte[])}, saying in Hello the largest message this client takes. */
  Welcome handshake(byte[] key, int maxMessageBytes) {
    byte[] clientNonce = Handshake.newNonce();
    byte[] serverNonce = hello(clientNonce, maxMessageBytes);
    authenticate(Handshake.clientDigest(key, serverNonce, clientNonce));
    ServerMessage welcome = take();
    assertTrue(welcome.hasWelcome(), () -> "expected Welcome, got " + welcome);
    assertArrayEquals(
        Handshake.serverDigest(key, clientNonce, serverNonce),
        welcome.getWelcome().getDigest().toByteArray());
    return welcome.getWelcome();
  }

  /** Sends one request and waits for its reply (the session must have nothing else in flight). */
  Reply call(Request request) {
    send(request);
    ServerMessage message = takeAnsweringPings();
    assertTrue(message.hasReply(), () -> "expected a Reply, got " + message);
    assertEquals(request.getCallId(), message.getReply().getCallId());
    return message.getReply();
  }

  /** The next message from the manager; fails if none comes or the stream ends first. */
  ServerMessage take() {
    Object next;
    try {
      next = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (next == null) {
      return fail("no message from the manager within " + WAIT);
    }
    if (next == END) {
      inbox.add(END);
      return fail("the stream ended (" + end.join() + ") while a message was expected");
    }
    return (ServerMessage) next;
  }

  /**
   * The next message that is not a Ping. A Ping is answered as a real client's transport thread
   * answers it (and a session reading on request asks for one more message in its place): the
   * manager pings a client silent for a quarter of its lease, which a test reading slowly on a
   * loaded machine can be.
   */
  ServerMessage takeAnsweringPings() {
    while (true) {
      ServerMessage message = take();
      if (!message.hasPing()) {
        return message;
      }
      send(
          ClientMessage.newBuilder()
              .setPong(Pong.newBuilder().setSequence(message.getPing().getSequence()))
              .build());
      if (readOnRequest) {
        call.request(1);
      }
    }
  }

  /** Waits for the manager to end the stream; OK means it completed it normally. */
  Status awaitEnd() {
    try {
      return end.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return fail("the manager did not end the stream within " + WAIT);
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The trailers of a stream that ended with an error status, once {@link #awaitEnd} returned. */
  Metadata endTrailers() {
    return endTrailers;
  }

  /** Every message the manager sent on this stream so far, in order. */
  List<ServerMessage> received() {
    return List.copyOf(received);
  }

  /** Half-closes (the client's normal goodbye) and waits until the manager has ended the stream. */
  Status finish() {
    if (!halfClosed) {
      halfClosed = true;
      requests.onCompleted();
    }
    return awaitEnd();
  }

  @Override
  public void close() {
    finish();
  }

  static Request create(long callId, String typeId, Value... args) {
    return Request.newBuilder()
        .setCallId(callId)
        .setCreate(Create.newBuilder().setTypeId(typeId).addAllArgs(List.of(args)))
        .build();
  }

  static Request invoke(long callId, long objectId, String method, Value... args) {
    return Request.newBuilder()
        .setCallId(callId)
        .setInvoke(
            Invoke.newBuilder().setObjectId(objectId).setMethod(method).addAllArgs(List.of(args)))
        .build();
  }

  /** The object id a Create or Attach reply carries. */
  static long objectId(Reply created) {
    assertTrue(created.getValue().hasRef(), () -> "expected a reference, got " + created);
    return created.getValue().getRef().getObjectId();
  }
}
