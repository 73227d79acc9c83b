package org.multiprocessing4j.server;

import java.util.List;
import org.multiprocessing4j.internal.wire.methods.ObjectMethod;
import org.multiprocessing4j.proto.v1.Attach;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Invoke;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.StatsReply;

/** Runs requests against the state: the transport-independent core of the manager. */
final class Dispatcher {
  static final int REQUESTS_PER_LOCK = 64;

  private final ManagerState state;
  private final TypeRegistry registry;
  private final Replies replies;
  private final Runnable onShutdownRequest;
  private final int maxObjectsPerSession;
  private final MessageLimits limits;

  Dispatcher(
      ManagerState state,
      TypeRegistry registry,
      Replies replies,
      Runnable onShutdownRequest,
      int maxObjectsPerSession,
      MessageLimits limits) {
    this.maxObjectsPerSession = maxObjectsPerSession;
    this.limits = limits;
    this.state = state;
    this.registry = registry;
    this.replies = replies;
    this.onShutdownRequest = onShutdownRequest;
  }

  ManagerState state() {
    return state;
  }

  MessageLimits limits() {
    return limits;
  }

  void handle(ServerSession session, Request request) {
    if (state.locked(() -> runCounted(session, request))) {
      onShutdownRequest.run();
    }
  }

  /**
   * Runs requests of a client's batch in order, from {@code from}, as if they had come one by one,
   * and sends the replies they produce at once to that client in few messages ({@link
   * Replies#gather}). Stops after {@link #REQUESTS_PER_LOCK} requests, so that a long batch holds
   * other clients up for no longer than that many calls, or once the replies it produced for this
   * client reach {@code replyBudgetBytes} (the client is not reading them fast enough). Returns the
   * index of the first request not run.
   */
  int handleBatch(ServerSession session, List<Request> requests, int from, long replyBudgetBytes) {
    int[] next = {from};
    boolean shutdown =
        state.locked(
            () -> {
              boolean stop = false;
              replies.gather(session);
              try {
                int end = Math.min(requests.size(), from + REQUESTS_PER_LOCK);
                while (next[0] < end && replies.gatheredBytes() < replyBudgetBytes) {
                  stop |= runCounted(session, requests.get(next[0]++));
                }
              } finally {
                replies.sendGathered();
              }
              return stop;
            });
    if (shutdown) {
      onShutdownRequest.run();
    }
    return next[0];
  }

  /** Under the state lock. Returns true if the request asked the manager to shut down. */
  private boolean runCounted(ServerSession session, Request request) {
    state.countCall();
    long timeout = request.hasInvoke() ? request.getInvoke().getTimeoutNanos() : 0;
    Call call = new Call(session, request.getCallId(), request.getThreadId(), timeout, replies);
    try {
      return run(session, request, call);
    } catch (Throwable failure) {
      call.fail(failure);
      return false;
    }
  }

  /** Returns true if the request asked the manager to shut down. */
  private boolean run(ServerSession session, Request request, Call call) throws Exception {
    if (state.isShutDown()) {
      throw new CodedException(ErrorCode.MANAGER_SHUT_DOWN, "the manager is shutting down");
    }
    if (session.closed) {
      // The session ended (its lease expired on the timer thread) while this request was on its
      // way: creating or attaching now would leave an object no session holds.
      throw new CodedException(ErrorCode.SESSION_EXPIRED, "this session has ended");
    }
    limits.checkRequest(request);
    switch (request.getOpCase()) {
      case CREATE -> {
        String typeId = request.getCreate().getTypeId();
        checkObjectLimit(session);
        TypeRegistry.Factory factory = registry.get(typeId);
        if (factory == null) {
          throw new CodedException(
              ErrorCode.UNKNOWN_TYPE, "no type '" + typeId + "' is registered on this manager");
        }
        limits.checkValues(session, request.getCreate().getArgsList());
        Object[] args = ServerCodec.decodeAll(request.getCreate().getArgsList(), state);
        Referent referent;
        try {
          referent = factory.create(args, state);
        } catch (Exception e) {
          throw new CreateFailedException(e);
        }
        call.complete(new Ref(state.register(referent), typeId));
        return false;
      }
      case INVOKE -> {
        Invoke invoke = request.getInvoke();
        ManagerState.Entry entry = existing(invoke.getObjectId());
        limits.checkValues(session, invoke.getArgsList());
        Object[] args = ServerCodec.decodeAll(invoke.getArgsList(), state);
        if (invoke.getMethod().equals(ObjectMethod.TO_STRING.wireName())
            && ObjectMethod.TO_STRING.takes(args.length)) {
          call.complete(entry.referent.describe());
          return false;
        }
        Object result = entry.referent.invoke(invoke.getMethod(), args, call);
        if (result != Call.PENDING) {
          call.complete(result);
        }
        return false;
      }
      case ATTACH -> {
        ManagerState.Entry entry = attachable(request.getAttach());
        if (!session.references.containsKey(entry.id)) {
          checkObjectLimit(session);
        }
        call.complete(new Ref(entry.id, entry.referent.typeId()));
        return false;
      }
      case SHUTDOWN -> {
        call.complete(null);
        return true;
      }
      case STATS -> {
        StatsReply stats =
            StatsReply.newBuilder()
                .setObjectCount(state.objectCount())
                .setSessionCount(state.sessionCount())
                .setCallsServed(state.callsServed())
                .putAllObjectsByType(state.objectsByType())
                .build();
        replies.send(
            session,
            ServerMessage.newBuilder()
                .setReply(Reply.newBuilder().setCallId(request.getCallId()).setStats(stats))
                .build());
        return false;
      }
      default -> throw new CodedException(ErrorCode.PROTOCOL_ERROR, "empty request");
    }
  }

  /**
   * One client must not be able to exhaust the manager's memory for everyone: a session may hold
   * references to at most {@code maxObjectsPerSession} objects.
   */
  private void checkObjectLimit(ServerSession session) throws CodedException {
    if (session.references.size() >= maxObjectsPerSession) {
      throw new CodedException(
          ErrorCode.LIMIT_EXCEEDED,
          "this client holds proxies of "
              + session.references.size()
              + " objects, the manager's limit per client (maxObjectsPerSession); drop proxies"
              + " it no longer needs, or start the manager with a higher limit");
    }
  }

  /**
   * The object a serialized reference names, if it was made by this manager. Ids start at 1 in
   * every manager, so a reference that outlived its manager (replaced by another at the same
   * address, or presented to another one) would otherwise reach whatever object now has its id.
   */
  private ManagerState.Entry attachable(Attach attach) throws CodedException {
    state.requireMadeHere(
        attach.getManagerInstanceId(), attach.getObjectId(), "Nothing was attached");
    ManagerState.Entry entry = existing(attach.getObjectId());
    if (!attach.getTypeId().isEmpty()) {
      ManagerState.requireType(entry, attach.getTypeId(), "Nothing was attached");
    }
    return entry;
  }

  private ManagerState.Entry existing(long objectId) throws CodedException {
    ManagerState.Entry entry = state.entry(objectId);
    if (entry == null) {
      throw new CodedException(
          ErrorCode.UNKNOWN_OBJECT,
          "no shared object with id "
              + objectId
              + ": it was freed when its last proxy was dropped, or never existed");
    }
    return entry;
  }
}
