package org.multiprocessing4j.internal.client;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerStats;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.internal.wire.SessionTrailers;
import org.multiprocessing4j.proto.v1.Attach;
import org.multiprocessing4j.proto.v1.Authenticate;
import org.multiprocessing4j.proto.v1.Cancel;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.Create;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Hello;
import org.multiprocessing4j.proto.v1.Invoke;
import org.multiprocessing4j.proto.v1.Pong;
import org.multiprocessing4j.proto.v1.Release;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.RequestBatch;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.Shutdown;
import org.multiprocessing4j.proto.v1.StatsReply;
import org.multiprocessing4j.proto.v1.StatsRequest;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.proto.v1.Welcome;
import org.multiprocessing4j.spi.Invoker;

/**
 * One authenticated session with a manager: a single gRPC stream carrying every call of every
 * thread of this client, replies matched by call id. Implements {@link Invoker} for the proxies.
 * The stream travels on a {@link SessionTransport}: our blocking HTTP/2 client, read by the calling
 * threads themselves, or grpc-java's client, read by its transport thread.
 *
 * <p>Thread safety: sends are serialized on {@code sendLock}, so messages leave in order; replies
 * complete per-call futures held in a concurrent map, on whichever thread reads them. When the
 * stream ends for any reason, every pending call fails at once with {@link
 * ManagerUnavailableException} (or the manager's stated reason), and so does every later call: a
 * dead manager never leaves a caller hanging.
 */
// whenComplete's stage is a side effect, nobody waits on it; the Java 17 idioms are left to the
// transport rework that is reshaping this class
@SuppressWarnings({
  "FutureReturnValueIgnored",
  "PatternMatchingInstanceof",
  "StatementSwitchToExpressionSwitch"
})
final class ClientSession implements Invoker {
  // How long the handshake may make no progress. Counted from its last step (the Hello written,
  // then the manager's Challenge), not from the start: in a cold JVM on a loaded host, loading and
  // initializing the transport before the first message leaves can alone take seconds.
  private static final long HANDSHAKE_TIMEOUT_SECONDS = 10;
  // The largest batch of queued requests sent as one message; a larger request goes alone.
  static final int BATCH_BYTES = 64 * 1024;
  private static final Metadata.Key<String> ERROR_CODE_TRAILER =
      Metadata.Key.of(SessionTrailers.ERROR_CODE, Metadata.ASCII_STRING_MARSHALLER);

  private final String target;
  private final SessionTransport transport;
  private final ClientCodec codec;
  private final RequestLimit requestLimit;
  private final ReentrantLock sendLock = new ReentrantLock();
  private final Map<Long, CompletableFuture<Reply>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextCallId = new AtomicLong(1);
  private final LongAdder roundTrips = new LongAdder();
  private final LongAdder requestMessages = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
  // System.nanoTime() of the handshake's last step; its deadline counts from there.
  private volatile long handshakeProgressNanos;
  private final byte[] clientNonce = Handshake.newNonce();
  private final byte[] authkey;
  // Asynchronous requests wait here for the drain the transport runs soon (grpc-java: on its
  // transport thread; ours: on the thread that queued the first of them), which sends all it finds
  // as one RequestBatch: a client pipelining calls pays the per-message costs of gRPC and HTTP/2
  // once per batch, not once per call. Every send drains it first, under sendLock, so requests
  // leave in the order they were made.
  private final Queue<Request> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  // The manager's Welcome said it takes batches.
  private volatile boolean batching;
  // Completes the futures of invokeAsync; created on first use, ended with the session.
  private volatile ExecutorService callbackExecutor;
  private volatile Executor callbacks;
  // Set once, when the session ends; every later call fails with it.
  private volatile ManagerException terminal;
  // This client asked the manager to shut down: its farewell is then no surprise.
  private volatile boolean shutdownRequested;

  private ClientSession(
      String target,
      Function<StreamObserver<ServerMessage>, SessionTransport> transportFactory,
      byte[] authkey,
      ClientCodec.Config codecConfig,
      int maxMessageBytes) {
    this.target = target;
    this.authkey = authkey;
    this.requestLimit = new RequestLimit(maxMessageBytes);
    this.codec = new ClientCodec(this, codecConfig);
    this.transport = transportFactory.apply(new Responses());
  }

  /**
   * Opens the stream on the transport {@code transportFactory} makes (given the receiver of the
   * manager's messages) and completes the handshake; fails fast if the manager is unreachable.
   */
  static ClientSession open(
      String target,
      Function<StreamObserver<ServerMessage>, SessionTransport> transportFactory,
      byte[] authkey,
      ClientCodec.Config codecConfig,
      int maxMessageBytes,
      String clientName) {
    ClientSession session =
        new ClientSession(target, transportFactory, authkey.clone(), codecConfig, maxMessageBytes);
    session.sendRaw(
        ClientMessage.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setProtocolVersion(Handshake.PROTOCOL_VERSION)
                    .setClientNonce(ByteString.copyFrom(session.clientNonce))
                    .setClientName(clientName)
                    .setPid(ProcessHandle.current().pid())
                    .setMaxMessageBytes(maxMessageBytes))
            .build());
    session.handshakeProgressed();
    try {
      if (!session.awaitWelcome()) {
        session.transport.shutdown();
        throw new ManagerUnavailableException(
            "the manager at "
                + target
                + " did not complete the handshake within "
                + HANDSHAKE_TIMEOUT_SECONDS
                + " s");
      }
      session.welcome.get();
      return session;
    } catch (ExecutionException e) {
      session.transport.shutdown();
      if (e.getCause() instanceof ManagerException) {
        throw withLocalTrace((ManagerException) e.getCause());
      }
      throw new ManagerUnavailableException("cannot open a session with " + target, e.getCause());
    } catch (InterruptedException e) {
      session.transport.shutdown();
      Thread.currentThread().interrupt();
      throw new ManagerUnavailableException("interrupted while connecting to " + target, e);
    }
  }

  /**
   * Waits for the Welcome until the handshake has made no progress for {@link
   * #HANDSHAKE_TIMEOUT_SECONDS}: a manager that answers slowly, but answers, is not unreachable.
   * False on time-out.
   */
  private boolean awaitWelcome() throws InterruptedException {
    long timeout = TimeUnit.SECONDS.toNanos(HANDSHAKE_TIMEOUT_SECONDS);
    while (true) {
      long left = timeout - (System.nanoTime() - handshakeProgressNanos);
      if (left <= 0) {
        return false;
      }
      if (transport.await(welcome, left)) {
        return true;
      }
      // else: a step since the wait began (the Challenge) moved the deadline, or it has passed
    }
  }

  private void handshakeProgressed() {
    handshakeProgressNanos = System.nanoTime();
  }

  long sessionId() {
    return welcome.join().getSessionId();
  }

  // --- Invoker

  @Override
  public String target() {
    return target;
  }

  @Override
  public long managerInstanceId() {
    return welcome.join().getManagerInstanceId();
  }

  @Override
  public Object invoke(long objectId, String method, Object... args) {
    Reply reply = await(send(invokeRequest(objectId, method, 0, args)));
    return decodeReply(reply);
  }

  @Override
  public Object invokeBlocking(long objectId, String method, long timeoutNanos, Object... args)
      throws InterruptedException {
    Request.Builder request =
        invokeRequest(objectId, method, timeoutNanos < 0 ? -1 : timeoutNanos, args);
    CompletableFuture<Reply> future = send(request);
    // send() assigned the call id; the Cancel below must name it.
    long callId = request.getCallId();
    try {
      transport.await(future, true);
      return decodeReply(future.get());
    } catch (ExecutionException e) {
      throw rethrow(e);
    } catch (InterruptedException e) {
      // Withdraw the wait on the manager, then take whatever it answers: either CANCELLED, or the
      // result it produced before our cancel arrived (returned, so no item or permit is lost).
      sendRaw(ClientMessage.newBuilder().setCancel(Cancel.newBuilder().setCallId(callId)).build());
      Reply reply = await(future);
      if (reply.hasError() && reply.getError().getCode() == ErrorCode.CANCELLED) {
        throw e;
      }
      Thread.currentThread().interrupt();
      return decodeReply(reply);
    }
  }

  @Override
  public Object invokeBlockingUninterruptibly(
      long objectId, String method, long timeoutNanos, Object... args) {
    // No Cancel on interrupt: await() finishes the wait and restores the interrupt status.
    return decodeReply(
        await(send(invokeRequest(objectId, method, timeoutNanos < 0 ? -1 : timeoutNanos, args))));
  }

  @Override
  public CompletableFuture<Object> invokeAsync(long objectId, String method, Object... args) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    CompletableFuture<Reply> reply;
    try {
      reply = send(invokeRequest(objectId, method, 0, args), true, true);
    } catch (RuntimeException e) {
      // An unsupported or oversized argument: nothing was sent.
      result.completeExceptionally(e);
      return result;
    }
    transport.expectReplyWithoutWaiter(reply);
    // Not on the transport thread: a dependent stage that makes a blocking call there would wait
    // for a reply only that thread can deliver. One thread keeps completions in reply order.
    reply.whenComplete(
        (r, failure) -> {
          Runnable completion =
              () -> {
                try {
                  if (failure != null) {
                    rethrow(new ExecutionException(failure));
                  }
                  result.complete(decodeReply(r));
                } catch (RuntimeException e) {
                  result.completeExceptionally(e);
                }
              };
          try {
            callbacks().execute(completion);
          } catch (RejectedExecutionException e) {
            completion.run(); // the session is closed: no reply can be waiting on this thread
          }
        });
    return result;
  }

  private Executor callbacks() {
    Executor sequential = callbacks;
    if (sequential == null) {
      synchronized (this) {
        sequential = callbacks;
        if (sequential == null) {
          callbackExecutor =
              Executors.newSingleThreadExecutor(
                  runnable -> {
                    Thread thread = new Thread(runnable, "mp4j-async-callbacks");
                    thread.setDaemon(true);
                    return thread;
                  });
          // One task on the thread runs all the completions queued meanwhile: a batch of replies
          // wakes it once, not once per reply.
          callbacks = sequential = MoreExecutors.newSequentialExecutor(callbackExecutor);
        }
      }
    }
    return sequential;
  }

  @Override
  public Object create(String typeId, Object... args) {
    Create.Builder create = Create.newBuilder().setTypeId(typeId);
    for (Object arg : args) {
      create.addArgs(codec.encode(arg));
    }
    return decodeReply(await(send(Request.newBuilder().setCreate(create))));
  }

  /** Takes a reference to an existing object (a proxy that arrived by serialization). */
  Object attach(long objectId, String typeId, long managerInstanceId) {
    return decodeReply(
        await(
            send(
                Request.newBuilder()
                    .setAttach(
                        Attach.newBuilder()
                            .setObjectId(objectId)
                            .setTypeId(typeId)
                            .setManagerInstanceId(managerInstanceId)))));
  }

  @Override
  public void release(long objectId) {
    if (terminal != null) {
      return; // the session is gone, and its references with it
    }
    sendRaw(
        ClientMessage.newBuilder().setRelease(Release.newBuilder().addObjectIds(objectId)).build());
  }

  // --- control

  /** The manager-side stats; this call itself is not counted in the client-side figures. */
  ManagerStats stats() {
    long trips = roundTrips.sum();
    long messages = requestMessages.sum();
    long sent = bytesSent.sum();
    long received = bytesReceived.sum();
    // Asking for the figures is not part of what the caller's code cost: not counted.
    Reply reply =
        await(send(Request.newBuilder().setStats(StatsRequest.getDefaultInstance()), false, false));
    if (reply.hasError()) {
      throw RemoteErrors.toException(reply.getError());
    }
    StatsReply s = reply.getStats();
    return new ManagerStats(
        trips,
        messages,
        sent,
        received,
        s.getObjectCount(),
        s.getSessionCount(),
        s.getCallsServed(),
        s.getObjectsByTypeMap());
  }

  /** Asks the manager to shut down; returns once it acknowledged. */
  /**
   * Asks the manager to shut down and waits at most {@code timeoutNanos} for its answer. Returns
   * false if none came by then, or if this thread was interrupted meanwhile (its interrupt status
   * kept): a busy or frozen manager must not hold a closing client for the ~20 s its keepalive
   * takes to notice (a dead manager fails the wait sooner).
   */
  boolean requestShutdown(long timeoutNanos) {
    shutdownRequested = true;
    CompletableFuture<Reply> reply =
        send(Request.newBuilder().setShutdown(Shutdown.getDefaultInstance()));
    try {
      if (!transport.await(reply, timeoutNanos)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    decodeReply(await(reply));
    return true;
  }

  /** Ends the session (the manager releases this client's references and locks). */
  void close(ManagerException reason) {
    if (terminal == null) {
      terminal = reason;
      sendLock.lock();
      try {
        transport.halfClose();
      } finally {
        sendLock.unlock();
      }
      failPending(reason);
    }
    ExecutorService executor = callbackExecutor;
    if (executor != null) {
      executor.shutdown(); // runs the completions already queued, then ends its thread
    }
    transport.shutdown();
  }

  boolean isOpen() {
    return terminal == null;
  }

  long roundTrips() {
    return roundTrips.sum();
  }

  // --- plumbing

  private Request.Builder invokeRequest(
      long objectId, String method, long timeoutNanos, Object[] args) {
    Invoke.Builder invoke = Invoke.newBuilder().setObjectId(objectId).setMethod(method);
    if (timeoutNanos != 0) {
      invoke.setTimeoutNanos(timeoutNanos);
    }
    for (Object arg : args) {
      invoke.addArgs(codec.encode(arg));
    }
    return Request.newBuilder().setInvoke(invoke);
  }

  private CompletableFuture<Reply> send(Request.Builder request) {
    return send(request, true, false);
  }

  /**
   * {@code counted}: whether the call adds to {@link #roundTrips()}. {@code queued}: an
   * asynchronous call, which may wait in the outbox to leave with others.
   */
  private CompletableFuture<Reply> send(Request.Builder builder, boolean counted, boolean queued) {
    long callId = builder.getCallId() != 0 ? builder.getCallId() : nextCallId.getAndIncrement();
    Request request = builder.setCallId(callId).setThreadId(Thread.currentThread().getId()).build();
    ClientMessage message = ClientMessage.newBuilder().setRequest(request).build();
    requestLimit.check(message.getSerializedSize());
    CompletableFuture<Reply> future = new CompletableFuture<>();
    pending.put(callId, future);
    ManagerException failure = terminal;
    if (failure == null) {
      if (counted) {
        roundTrips.increment();
      }
      if (queued && batching) {
        outbox.add(request);
        scheduleDrain();
      } else {
        if (counted) {
          requestMessages.increment();
        }
        sendRaw(message);
      }
      failure = terminal;
    }
    if (failure != null) {
      // The session ended before or while sending; failPending may have missed this call.
      pending.remove(callId);
      future.completeExceptionally(failure);
    }
    return future;
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      transport.drainSoon(
          () -> {
            drainScheduled.set(false); // before draining: a request added after is drained later
            // A thread sending now sends the outbox too before it lets go (unlockSend): a
            // pipelining caller never waits for another's send, and its calls pile up meanwhile.
            if (sendLock.tryLock()) {
              try {
                drainLocked();
              } finally {
                unlockSend();
              }
            }
          });
    }
  }

  /** Lets go of sending, first sending what pipelined calls left in the outbox meanwhile. */
  private void unlockSend() {
    sendLock.unlock();
    while (!outbox.isEmpty() && sendLock.tryLock()) {
      try {
        drainLocked();
      } finally {
        sendLock.unlock();
      }
    }
  }

  /**
   * For tests: occupies the sending until {@code release}, as a thread sending a long message
   * would; pipelined calls made meanwhile pile up in the outbox.
   */
  void holdSending(Runnable holding, java.util.concurrent.CountDownLatch release)
      throws InterruptedException {
    sendLock.lock();
    try {
      holding.run();
      release.await();
    } finally {
      unlockSend();
    }
  }

  /** Whether the calling threads drive this session's transport (else grpc-java's thread does). */
  boolean callerDriven() {
    return transport instanceof WireTransport;
  }

  /** Sends the outbox, as RequestBatch messages of at most BATCH_BYTES each (but one request). */
  private void drainLocked() {
    Request first = outbox.poll();
    while (first != null) {
      RequestBatch.Builder batch = RequestBatch.newBuilder().addRequests(first);
      int bytes = first.getSerializedSize();
      Request next;
      while ((next = outbox.peek()) != null && bytes + next.getSerializedSize() <= BATCH_BYTES) {
        batch.addRequests(outbox.poll());
        bytes += next.getSerializedSize();
      }
      requestMessages.increment();
      write(
          batch.getRequestsCount() == 1
              ? ClientMessage.newBuilder().setRequest(first).build()
              : ClientMessage.newBuilder().setRequestBatch(batch).build());
      first = outbox.poll();
    }
  }

  private void sendRaw(ClientMessage message) {
    sendLock.lock();
    try {
      drainLocked(); // whatever was asked before this goes before it
      write(message);
    } finally {
      unlockSend();
    }
  }

  private void write(ClientMessage message) {
    assert sendLock.isHeldByCurrentThread();
    if (terminal != null && !message.hasHello()) {
      return;
    }
    bytesSent.add(message.getSerializedSize());
    try {
      transport.send(message);
    } catch (RuntimeException e) {
      end(new ManagerUnavailableException("the connection to " + target + " broke", e));
    }
  }

  private Reply await(CompletableFuture<Reply> future) {
    try {
      // Non-blocking calls complete within one round trip: finish it, keep the interrupt.
      transport.await(future, false);
      return future.get();
    } catch (InterruptedException e) {
      throw new AssertionError("an uninterruptible wait was interrupted", e);
    } catch (ExecutionException e) {
      throw rethrow(e);
    }
  }

  private static RuntimeException rethrow(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof ManagerException) {
      throw withLocalTrace((ManagerException) cause);
    }
    if (cause instanceof RuntimeException) {
      throw (RuntimeException) cause;
    }
    throw new ManagerException(ManagerException.Code.INTERNAL, String.valueOf(cause), cause);
  }

  /** A copy of a shared failure with this caller's stack trace (the original is the cause). */
  private static ManagerException withLocalTrace(ManagerException shared) {
    if (shared instanceof ManagerUnavailableException) {
      return new ManagerUnavailableException(shared.getMessage(), shared);
    }
    return new ManagerException(
        shared.code(), shared.getMessage(), shared.remoteStackTrace(), shared);
  }

  private Object decodeReply(Reply reply) {
    if (reply.hasError()) {
      throw RemoteErrors.toException(reply.getError());
    }
    Value value = reply.getValue();
    return codec.decode(value);
  }

  private void end(ManagerException reason) {
    if (terminal == null) {
      terminal = reason;
    }
    welcome.completeExceptionally(terminal);
    failPending(terminal);
  }

  private void failPending(ManagerException reason) {
    List<CompletableFuture<Reply>> failed = new ArrayList<>(pending.values());
    pending.clear();
    failed.forEach(f -> f.completeExceptionally(reason));
  }

  /** Receives the manager's messages on the thread reading them (the transport's, or a caller). */
  private final class Responses implements StreamObserver<ServerMessage> {
    // From the Challenge; the Welcome's digest must cover it.
    private byte[] serverNonce = new byte[0];

    @Override
    public void onNext(ServerMessage message) {
      bytesReceived.add(message.getSerializedSize());
      switch (message.getKindCase()) {
        case REPLY:
          complete(message.getReply());
          break;
        case REPLY_BATCH:
          message.getReplyBatch().getRepliesList().forEach(this::complete);
          break;
        case CHALLENGE:
          handshakeProgressed();
          serverNonce = message.getChallenge().getServerNonce().toByteArray();
          byte[] digest = Handshake.clientDigest(authkey, serverNonce, clientNonce);
          sendRaw(
              ClientMessage.newBuilder()
                  .setAuthenticate(Authenticate.newBuilder().setDigest(ByteString.copyFrom(digest)))
                  .build());
          break;
        case WELCOME:
          {
            Welcome w = message.getWelcome();
            byte[] expected = Handshake.serverDigest(authkey, clientNonce, serverNonce);
            if (!Handshake.digestsEqual(expected, w.getDigest().toByteArray())) {
              end(
                  new ManagerException(
                      ManagerException.Code.AUTHENTICATION_FAILED,
                      "the manager at " + target + " could not prove it holds the authkey"));
              return;
            }
            batching = w.getTakesBatches();
            requestLimit.managerSaid(w.getMaxMessageBytes());
            welcome.complete(w);
            break;
          }
        case PING:
          {
            // The manager's lease: answered by whichever thread reads (the idle reader while the
            // application computes), so a busy application never loses its session; only a
            // frozen or cut-off process does.
            ClientMessage pong =
                ClientMessage.newBuilder()
                    .setPong(Pong.newBuilder().setSequence(message.getPing().getSequence()))
                    .build();
            bytesSent.add(pong.getSerializedSize());
            try {
              transport.sendUnordered(pong);
            } catch (RuntimeException e) {
              end(new ManagerUnavailableException("the connection to " + target + " broke", e));
            }
            break;
          }
        case GOODBYE:
          end(goodbyeException(message.getGoodbye().getCode(), message.getGoodbye().getMessage()));
          break;
        default:
          break;
      }
    }

    private void complete(Reply reply) {
      CompletableFuture<Reply> future = pending.remove(reply.getCallId());
      if (future != null) {
        future.complete(reply);
      }
    }

    @Override
    public void onError(Throwable t) {
      String tlsFailure = ClientTls.describeFailure(target, t);
      if (tlsFailure != null) {
        end(new ManagerUnavailableException(tlsFailure, t));
        return;
      }
      Status status = Status.fromThrowable(t);
      ManagerException stated = statedReason(status, Status.trailersFromThrowable(t));
      if (stated != null) {
        end(stated);
        return;
      }
      end(
          new ManagerUnavailableException(
              "lost the manager at "
                  + target
                  + ": "
                  + status.getCode()
                  + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")"),
              t));
    }

    @Override
    public void onCompleted() {
      end(new ManagerUnavailableException("the manager at " + target + " closed the session"));
    }
  }

  /**
   * The reason the manager gave for ending the session with an error status (its trailers name an
   * error code), or null if the status did not come from the manager: the connection broke, or gRPC
   * here made it up.
   */
  private ManagerException statedReason(Status status, Metadata trailers) {
    String name = trailers == null ? null : trailers.get(ERROR_CODE_TRAILER);
    if (name == null) {
      return null;
    }
    ErrorCode code;
    try {
      code = ErrorCode.valueOf(name);
    } catch (IllegalArgumentException e) {
      code = ErrorCode.INTERNAL; // a newer manager's code
    }
    return new ManagerException(
        RemoteErrors.code(code),
        "the manager at "
            + target
            + " ended this session: "
            + status.getDescription()
            + "; open a new connection to go on");
  }

  private ManagerException goodbyeException(ErrorCode code, String message) {
    switch (code) {
      case AUTHENTICATION_FAILED:
        return new ManagerException(
            ManagerException.Code.AUTHENTICATION_FAILED,
            "the manager at " + target + " refused the authkey: " + message);
      case MANAGER_SHUT_DOWN:
        // The farewell may overtake Manager.shutdown()'s own close: report what that promises.
        if (shutdownRequested) {
          return new ManagerException(
              ManagerException.Code.MANAGER_SHUT_DOWN, "this Manager was shut down");
        }
        return new ManagerUnavailableException("the manager at " + target + " shut down");
      case SESSION_EXPIRED:
        return new ManagerException(
            ManagerException.Code.SESSION_EXPIRED,
            "the manager at "
                + target
                + " ended this session: "
                + message
                + "; open a new connection to go on");
      default:
        return new ManagerException(RemoteErrors.code(code), message);
    }
  }

  static String defaultClientName() {
    return ManagementFactory.getRuntimeMXBean().getName();
  }
}
