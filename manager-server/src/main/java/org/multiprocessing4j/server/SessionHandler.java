package org.multiprocessing4j.server;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.proto.v1.Challenge;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Goodbye;
import org.multiprocessing4j.proto.v1.Hello;
import org.multiprocessing4j.proto.v1.Ping;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.Welcome;
import org.multiprocessing4j.wire.Handshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client stream: the handshake, then requests. gRPC delivers inbound messages of one stream
 * serially, so the phase fields need no lock; outbound sends come from any thread (a put on
 * another session completes a take parked here) and are serialized on {@code this}.
 */
final class SessionHandler implements StreamObserver<ClientMessage>, SessionOutput {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

  private enum Phase {
    HELLO,
    AUTHENTICATE,
    ACTIVE,
    CLOSED
  }

  private final ServerCallStreamObserver<ServerMessage> out;
  private final Dispatcher dispatcher;
  private final byte[] authkey;
  private final int maxMessageBytes;
  private final String serverVersion;
  private final Lease lease;
  // Written by the transport thread, read by the lease check on the timer thread.
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile Phase phase = Phase.HELLO;
  private long pingSequence;
  private volatile ScheduledFuture<?> leaseCheck;
  private Hello hello;
  private byte[] serverNonce;
  private ServerSession session;
  private boolean outputClosed;

  SessionHandler(
      ServerCallStreamObserver<ServerMessage> out,
      Dispatcher dispatcher,
      byte[] authkey,
      int maxMessageBytes,
      String serverVersion,
      Lease lease) {
    this.lease = lease;
    this.out = out;
    // A peer that opens a stream and never completes the handshake would hold it forever.
    lease.timer.schedule(this::checkHandshake, lease.timeoutNanos, TimeUnit.NANOSECONDS);
    this.dispatcher = dispatcher;
    this.authkey = authkey;
    this.maxMessageBytes = maxMessageBytes;
    this.serverVersion = serverVersion;
  }

  @Override
  public void onNext(ClientMessage message) {
    lastHeardNanos = System.nanoTime();
    switch (phase) {
      case HELLO:
        onHello(message);
        break;
      case AUTHENTICATE:
        onAuthenticate(message);
        break;
      case ACTIVE:
        onActive(message);
        break;
      case CLOSED:
      default:
        break;
    }
  }

  private void onHello(ClientMessage message) {
    if (!message.hasHello()) {
      refuse(ErrorCode.PROTOCOL_ERROR, "a session must start with Hello");
      return;
    }
    hello = message.getHello();
    if (hello.getProtocolVersion() != Handshake.PROTOCOL_VERSION) {
      refuse(
          ErrorCode.PROTOCOL_ERROR,
          "protocol version " + hello.getProtocolVersion() + " is not supported; this manager speaks "
              + Handshake.PROTOCOL_VERSION);
      return;
    }
    if (hello.getClientNonce().size() != Handshake.NONCE_BYTES) {
      refuse(ErrorCode.PROTOCOL_ERROR, "the client nonce must be " + Handshake.NONCE_BYTES + " bytes");
      return;
    }
    serverNonce = Handshake.newNonce();
    phase = Phase.AUTHENTICATE;
    send(
        ServerMessage.newBuilder()
            .setChallenge(Challenge.newBuilder().setServerNonce(ByteString.copyFrom(serverNonce)))
            .build());
  }

  private void onAuthenticate(ClientMessage message) {
    if (!message.hasAuthenticate()) {
      refuse(ErrorCode.PROTOCOL_ERROR, "expected Authenticate after Challenge");
      return;
    }
    byte[] clientNonce = hello.getClientNonce().toByteArray();
    byte[] expected = Handshake.clientDigest(authkey, serverNonce, clientNonce);
    if (!Handshake.digestsEqual(expected, message.getAuthenticate().getDigest().toByteArray())) {
      log.warn(
          "refused a session from {} (pid {}): wrong authkey", hello.getClientName(), hello.getPid());
      refuse(ErrorCode.AUTHENTICATION_FAILED, "authkey rejected: the digest sent was wrong");
      return;
    }
    session = dispatcher.state().openSession(hello.getClientName(), hello.getPid(), this);
    phase = Phase.ACTIVE;
    log.debug("opened {}", session);
    send(
        ServerMessage.newBuilder()
            .setWelcome(
                Welcome.newBuilder()
                    .setSessionId(session.id)
                    .setDigest(
                        ByteString.copyFrom(Handshake.serverDigest(authkey, clientNonce, serverNonce)))
                    .setServerVersion(serverVersion)
                    .setMaxMessageBytes(maxMessageBytes))
            .build());
    long period = lease.checkPeriodNanos();
    leaseCheck =
        lease.timer.scheduleAtFixedRate(this::checkLease, period, period, TimeUnit.NANOSECONDS);
  }

  /** On the timer thread: refuse a stream still not authenticated after a whole lease. */
  private void checkHandshake() {
    Phase now = phase;
    if (now == Phase.HELLO || now == Phase.AUTHENTICATE) {
      log.warn("refused a stream that did not complete the handshake in time");
      refuse(
          ErrorCode.PROTOCOL_ERROR,
          "no completed handshake within " + TimeUnit.NANOSECONDS.toMillis(lease.timeoutNanos)
              + " ms");
    }
  }

  /** On the timer thread: expire a session that answered nothing for a whole lease, else ping. */
  private void checkLease() {
    if (phase == Phase.CLOSED) {
      leaseCheck.cancel(false);
      return;
    }
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos >= lease.timeoutNanos) {
      leaseCheck.cancel(false);
      log.warn(
          "{} answered nothing for {} ms: its lease expired; releasing its references and locks",
          session, TimeUnit.NANOSECONDS.toMillis(silentNanos));
      // The Goodbye waits in the socket: a frozen client reads it when it resumes.
      refuse(
          ErrorCode.SESSION_EXPIRED,
          "this client answered nothing for " + TimeUnit.NANOSECONDS.toMillis(silentNanos)
              + " ms, longer than the manager's lease of "
              + TimeUnit.NANOSECONDS.toMillis(lease.timeoutNanos)
              + " ms; the manager released this session's references and locks");
    } else if (silentNanos >= lease.checkPeriodNanos()) {
      send(ServerMessage.newBuilder().setPing(Ping.newBuilder().setSequence(++pingSequence)).build());
    }
  }

  private void onActive(ClientMessage message) {
    switch (message.getKindCase()) {
      case REQUEST:
        dispatcher.handle(session, message.getRequest());
        break;
      case RELEASE:
        dispatcher.state().locked(() -> dispatcher.state().release(session, message.getRelease().getObjectIdsList()));
        break;
      case PONG:
        break; // lastHeardNanos is all a Pong is for
      case CANCEL:
        long callId = message.getCancel().getCallId();
        dispatcher
            .state()
            .locked(
                () -> {
                  Call parked = session.parkedCalls.get(callId);
                  if (parked != null) {
                    parked.cancel();
                  }
                });
        break;
      default:
        refuse(ErrorCode.PROTOCOL_ERROR, "unexpected " + message.getKindCase() + " in an open session");
        break;
    }
  }

  /** Ends the session with a reason the client can report, and closes the stream. */
  void refuse(ErrorCode code, String reason) {
    send(ServerMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setCode(code).setMessage(reason)).build());
    phase = Phase.CLOSED;
    endSession();
    close();
  }

  @Override
  public void onError(Throwable t) {
    // The client went away: cancelled, connection lost, or killed. Release what it held.
    phase = Phase.CLOSED;
    endSession();
  }

  @Override
  public void onCompleted() {
    phase = Phase.CLOSED;
    endSession();
    close();
  }

  /**
   * The call is over, however it ended (see {@link ManagerGrpcService#session}). Usually the
   * session has already ended through onCompleted, onError or a refusal; ending it again is a
   * no-op. Runs serialized with the inbound callbacks.
   */
  void onCallClosed() {
    phase = Phase.CLOSED;
    synchronized (this) {
      outputClosed = true;
    }
    endSession();
  }

  private void endSession() {
    ScheduledFuture<?> check = leaseCheck;
    if (check != null) {
      check.cancel(false);
    }
    ServerSession ending = session;
    if (ending != null) {
      session = null; // once: a stream can end by more than one path (refusal, then close)
      dispatcher.state().locked(() -> dispatcher.state().endSession(ending));
      log.debug("closed {}", ending);
    }
  }

  @Override
  public synchronized void send(ServerMessage message) {
    if (outputClosed || out.isCancelled()) {
      return;
    }
    try {
      out.onNext(message);
    } catch (RuntimeException e) {
      // The stream died under us (client gone); its onError ends the session.
      outputClosed = true;
    }
  }

  @Override
  public synchronized void close() {
    if (outputClosed) {
      return;
    }
    outputClosed = true;
    try {
      out.onCompleted();
    } catch (RuntimeException e) {
      // already cancelled
    }
  }
}
