package org.multiprocessing4j.server;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.SessionTrailers;
import org.multiprocessing4j.proto.v1.Challenge;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Goodbye;
import org.multiprocessing4j.proto.v1.Hello;
import org.multiprocessing4j.proto.v1.Ping;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client stream: the handshake, then requests. gRPC delivers inbound messages of one stream
 * serially, so the phase fields need no lock; outbound sends come from any thread (a put on another
 * session completes a take parked here) and are serialized on {@code this}.
 *
 * <p>Replies a client has not read yet are held in memory, so their bytes are bounded two ways. Its
 * own requests: the next one is read only once little is unread ({@link #readNext}), so a client
 * that pipelines calls and does not read the answers is slowed to its reading pace, and loses
 * nothing. Everything else (takes parked here that other sessions complete, pings): past {@code
 * maxBytesPerSession} the session ends ({@link #send}).
 */
final class SessionHandler implements StreamObserver<ClientMessage>, SessionOutput {
  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
  private static final Metadata.Key<String> ERROR_CODE_TRAILER =
      Metadata.Key.of(SessionTrailers.ERROR_CODE, Metadata.ASCII_STRING_MARSHALLER);
  // Enough unread replies that a client pipelining calls is not slowed by the pauses, little enough
  // that a client which stops reading costs the manager about this plus one reply.
  private static final long PAUSE_READING_BYTES = 1024 * 1024;

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
  private final long maxBytesPerSession;
  // Above this many unread bytes the next request waits for the client to read.
  private final long pauseReadingBytes;
  private final String serverVersion;
  private final Lease lease;
  // Written by the transport thread, read by the lease check on the timer thread.
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile Phase phase = Phase.HELLO;
  // The transport thread is running this client's request: the client waits for the manager, and
  // reads nothing of it meanwhile, so that time is not its silence (a cold manager under load has
  // spent two seconds in one request, and expired the client waiting for it).
  private volatile boolean working;
  private long pingSequence;
  private volatile ScheduledFuture<?> leaseCheck;
  private Hello hello;
  private byte[] serverNonce;
  private ServerSession session;

  @GuardedBy("this")
  private boolean outputClosed;

  // Bytes handed to gRPC since the stream was last seen ready: an upper bound (give or take gRPC's
  // 32 KiB readiness threshold) on the replies buffered for a client that is not reading them.
  @GuardedBy("this")
  private long unreadBytes;

  // The limit was crossed and the session is ending.
  @GuardedBy("this")
  private boolean overLimit;

  // The next message was not asked for because too much was unread; onReady asks for it.
  // Written by transport callbacks only (onNext and onReady, which gRPC runs serially); volatile
  // for readers elsewhere (ManagerServer.pausedSessionCount).
  private volatile boolean readingPaused;
  // A RequestBatch being run, and the index of its next request; transport callbacks only.
  private List<Request> batch;
  private int batchNext;

  SessionHandler(
      ServerCallStreamObserver<ServerMessage> out,
      Dispatcher dispatcher,
      byte[] authkey,
      int maxMessageBytes,
      long maxBytesPerSession,
      String serverVersion,
      Lease lease) {
    this.lease = lease;
    this.out = out;
    // A peer that opens a stream and never completes the handshake would hold it forever.
    scheduleHandshakeCheck(lease.timeoutNanos);
    this.dispatcher = dispatcher;
    this.authkey = authkey;
    this.maxMessageBytes = maxMessageBytes;
    this.maxBytesPerSession = maxBytesPerSession;
    // A request read below this adds one reply of at most maxMessageBytes: never over the limit.
    this.pauseReadingBytes = Math.min(PAUSE_READING_BYTES, maxBytesPerSession - maxMessageBytes);
    this.serverVersion = serverVersion;
  }

  @Override
  public void onNext(ClientMessage message) {
    lastHeardNanos = System.nanoTime();
    working = true;
    try {
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
      if (runBatch()) {
        readNext();
      }
    } finally {
      workDone();
    }
  }

  /**
   * The manager is done with this client's message. Its silence counts from now: what it sent
   * meanwhile (Pongs) waits unread until the next message is asked for.
   */
  private void workDone() {
    working = false;
    lastHeardNanos = System.nanoTime();
  }

  /**
   * Runs what is left of the batch, part by part, while the client reads its replies: the same rule
   * as {@link #readNext} between messages, applied between a batch's requests. Returns true once
   * the batch is done (or there is none); false if it paused, and {@link #onReady} goes on.
   */
  private boolean runBatch() {
    while (batch != null && batchNext < batch.size()) {
      if (phase != Phase.ACTIVE) {
        break;
      }
      long budget = out.isReady() ? pauseReadingBytes : pauseReadingBytes - unreadBytes();
      if (budget <= 0) {
        readingPaused = true;
        return false;
      }
      batchNext = dispatcher.handleBatch(session, batch, batchNext, budget);
    }
    batch = null;
    return true;
  }

  /**
   * Asks gRPC for the client's next message (auto-request is off, see {@link
   * ManagerGrpcService#session}), unless the client has left more than {@code pauseReadingBytes} of
   * replies unread: then {@link #onReady} asks once it has read them. Its requests wait in its own
   * memory and the transport's flow-control window instead of piling replies up here.
   */
  private void readNext() {
    if (out.isReady() || unreadBytes() <= pauseReadingBytes) {
      out.request(1);
    } else {
      readingPaused = true;
    }
  }

  /**
   * gRPC: the stream became ready again, the client has read (nearly) everything sent to it. Runs
   * on the transport thread, serially with {@link #onNext}, so {@code readingPaused} needs no lock;
   * it never touches {@code unreadBytes}, which sends on other threads own: they reset it when they
   * find the stream ready.
   */
  void onReady() {
    // Reading is a sign of life as good as a Pong, which may be waiting unread behind a pause.
    lastHeardNanos = System.nanoTime();
    if (readingPaused) {
      readingPaused = false;
      working = true;
      try {
        if (runBatch()) {
          out.request(1);
        }
      } finally {
        workDone();
      }
    }
  }

  @Override
  public boolean readingPaused() {
    return readingPaused;
  }

  private synchronized long unreadBytes() {
    return unreadBytes;
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
          "protocol version "
              + hello.getProtocolVersion()
              + " is not supported; this manager speaks "
              + Handshake.PROTOCOL_VERSION);
      return;
    }
    if (hello.getClientNonce().size() != Handshake.NONCE_BYTES) {
      refuse(
          ErrorCode.PROTOCOL_ERROR, "the client nonce must be " + Handshake.NONCE_BYTES + " bytes");
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
          "refused a session from {} (pid {}): wrong authkey",
          hello.getClientName(),
          hello.getPid());
      refuse(ErrorCode.AUTHENTICATION_FAILED, "authkey rejected: the digest sent was wrong");
      return;
    }
    session =
        dispatcher
            .state()
            .openSession(
                hello.getClientName(),
                hello.getPid(),
                dispatcher.limits().replyLimit(hello.getMaxMessageBytes()),
                this);
    phase = Phase.ACTIVE;
    log.debug("opened {}", session);
    send(
        ServerMessage.newBuilder()
            .setWelcome(
                Welcome.newBuilder()
                    .setSessionId(session.id)
                    .setDigest(
                        ByteString.copyFrom(
                            Handshake.serverDigest(authkey, clientNonce, serverNonce)))
                    .setServerVersion(serverVersion)
                    .setMaxMessageBytes(maxMessageBytes)
                    .setTakesBatches(true)
                    .setManagerInstanceId(dispatcher.state().instanceId))
            .build());
    long period = lease.checkPeriodNanos();
    leaseCheck =
        lease.timer.scheduleAtFixedRate(this::checkLease, period, period, TimeUnit.NANOSECONDS);
  }

  // checkHandshake does nothing once the handshake is done: never cancelled
  @SuppressWarnings("FutureReturnValueIgnored")
  private void scheduleHandshakeCheck(long delayNanos) {
    lease.timer.schedule(this::checkHandshake, delayNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * On the timer thread: refuse a stream whose handshake made no progress for a whole lease. The
   * deadline counts from the handshake's last message, not from the stream's start: a cold client
   * JVM on a loaded machine may take long to load its classes between steps, and a handshake has
   * two client messages, so a stream stays unauthenticated for at most two leases.
   */
  private void checkHandshake() {
    Phase now = phase;
    if (now != Phase.HELLO && now != Phase.AUTHENTICATE) {
      return;
    }
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos < lease.timeoutNanos) {
      scheduleHandshakeCheck(lease.timeoutNanos - silentNanos);
      return;
    }
    log.warn("refused a stream whose handshake made no progress for a lease");
    refuse(
        ErrorCode.PROTOCOL_ERROR,
        "no handshake progress for " + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms");
  }

  /**
   * On the timer thread: expire a session that answered nothing for a whole lease, else ping. The
   * lease runs only while the manager is not working on one of the client's messages.
   */
  private void checkLease() {
    if (phase == Phase.CLOSED) {
      leaseCheck.cancel(false);
      return;
    }
    if (working) {
      return; // the client waits for the manager
    }
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos >= lease.timeoutNanos) {
      leaseCheck.cancel(false);
      log.warn(
          "{} answered nothing for {} ms: its lease expired; releasing its references and locks",
          session,
          TimeUnit.NANOSECONDS.toMillis(silentNanos));
      // The Goodbye waits in the socket: a frozen client reads it when it resumes.
      refuse(
          ErrorCode.SESSION_EXPIRED,
          "this client answered nothing for "
              + TimeUnit.NANOSECONDS.toMillis(silentNanos)
              + " ms, longer than the manager's lease of "
              + TimeUnit.NANOSECONDS.toMillis(lease.timeoutNanos)
              + " ms; the manager released this session's references and locks");
    } else if (silentNanos >= lease.checkPeriodNanos()) {
      send(
          ServerMessage.newBuilder()
              .setPing(Ping.newBuilder().setSequence(++pingSequence))
              .build());
    }
  }

  private void onActive(ClientMessage message) {
    switch (message.getKindCase()) {
      case REQUEST -> dispatcher.handle(session, message.getRequest());
      case REQUEST_BATCH -> {
        batch = message.getRequestBatch().getRequestsList();
        batchNext = 0;
      }
      case RELEASE ->
          dispatcher
              .state()
              .locked(
                  () ->
                      dispatcher.state().release(session, message.getRelease().getObjectIdsList()));
      case PONG -> {
        // lastHeardNanos is all a Pong is for
      }
      case CANCEL -> {
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
      }
      default ->
          refuse(
              ErrorCode.PROTOCOL_ERROR,
              "unexpected " + message.getKindCase() + " in an open session");
    }
  }

  /** Ends the session with a reason the client can report, and closes the stream. */
  void refuse(ErrorCode code, String reason) {
    send(
        ServerMessage.newBuilder()
            .setGoodbye(Goodbye.newBuilder().setCode(code).setMessage(reason))
            .build());
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

  /**
   * Sends, and ends the session once the client has left more than {@code maxBytesPerSession} bytes
   * of replies unread (it is frozen, or does not read while takes parked here are completed for
   * it): gRPC would otherwise hold them for it without bound.
   */
  @Override
  public void send(ServerMessage message) {
    long unread = sendCounting(message);
    if (unread < 0) {
      return;
    }
    // Outside the monitor: ending the session takes the state lock, then sends what that produced
    // to other sessions. With this monitor held, two sessions ending this way at once could each
    // wait for the other's monitor.
    ServerSession ending = phase == Phase.ACTIVE ? session : null;
    log.warn(
        "{} left {} bytes of replies unread, over maxBytesPerSession ({}); ending its session and"
            + " releasing its references and locks",
        ending == null ? "a stream" : ending,
        unread,
        maxBytesPerSession);
    phase = Phase.CLOSED;
    // Replies already on their way here (a take another session completed a moment ago) are
    // still sent: the item they carry has left its queue. Once the session has ended none follow.
    endSession();
    failOverLimit(unread);
  }

  /** Returns -1, or the bytes unread if this message took them over the limit (the first time). */
  private synchronized long sendCounting(ServerMessage message) {
    if (outputClosed || out.isCancelled()) {
      return -1;
    }
    // Ready: what gRPC holds for this stream fell under its readiness threshold, so (nearly)
    // every earlier message has gone out. Asked here, under the monitor, rather than reset in
    // onReady, which runs on the transport thread and could wipe out a send made just before it.
    if (out.isReady()) {
      unreadBytes = 0;
    }
    unreadBytes += message.getSerializedSize();
    try {
      out.onNext(message);
    } catch (RuntimeException e) {
      // The stream died under us (client gone); its onError ends the session.
      outputClosed = true;
      return -1;
    }
    if (unreadBytes > maxBytesPerSession && !overLimit) {
      overLimit = true;
      return unreadBytes;
    }
    return -1;
  }

  /**
   * Ends the stream with a status saying why. It waits in line behind the unread replies, as a
   * Goodbye would; but gRPC clients that know nothing of Goodbye (grpcurl, other languages) see it.
   */
  private synchronized void failOverLimit(long unread) {
    if (outputClosed) {
      return;
    }
    outputClosed = true;
    Metadata trailers = new Metadata();
    trailers.put(ERROR_CODE_TRAILER, ErrorCode.LIMIT_EXCEEDED.name());
    try {
      out.onError(
          Status.RESOURCE_EXHAUSTED
              .withDescription(
                  "this client left "
                      + unread
                      + " bytes of replies unread, over the manager's"
                      + " limit of "
                      + maxBytesPerSession
                      + " bytes per client (maxBytesPerSession,"
                      + " --max-bytes-per-session): its references and locks were released. Read"
                      + " replies as they come, or start the manager with a higher limit")
              .asRuntimeException(trailers));
    } catch (RuntimeException e) {
      // already cancelled
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
