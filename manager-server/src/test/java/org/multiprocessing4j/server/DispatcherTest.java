package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.server.RawSession.invoke;
import static org.multiprocessing4j.server.RawSession.objectId;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.proto.v1.Attach;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Invoke;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.Shutdown;
import org.multiprocessing4j.proto.v1.StatsRequest;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The manager's core without a channel: requests go straight to a {@link Dispatcher} over a {@link
 * ManagerState}, and replies are read from an in-memory {@link SessionOutput}.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class DispatcherTest {
  private static final int MAX_OBJECTS_PER_SESSION = 4;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ManagerState state = new ManagerState(timer);
  private final AtomicBoolean shutdownRequested = new AtomicBoolean();
  private final Dispatcher dispatcher =
      new Dispatcher(
          state,
          TypeRegistry.withBuiltins(),
          new Replies(state, 4 << 20),
          () -> shutdownRequested.set(true),
          MAX_OBJECTS_PER_SESSION,
          new MessageLimits(4 << 20));
  private long nextCallId = 1;

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  /** A session's output: the replies it was sent, in order. Thread-safe. */
  private static final class Client implements SessionOutput {
    private final List<Reply> replies = new ArrayList<>();

    @Override
    public synchronized void send(ServerMessage message) {
      if (message.hasReply()) {
        replies.add(message.getReply());
      } else if (message.hasReplyBatch()) {
        replies.addAll(message.getReplyBatch().getRepliesList());
      }
      notifyAll();
    }

    @Override
    public void close() {}

    synchronized Reply reply(long callId) {
      return replies.stream().filter(r -> r.getCallId() == callId).findFirst().orElse(null);
    }

    /** Waits for the reply to a parked call, which a timer or another session completes. */
    synchronized Reply awaitReply(long callId) throws InterruptedException {
      Reply reply;
      while ((reply = reply(callId)) == null) {
        wait();
      }
      return reply;
    }
  }

  private ServerSession open(Client client) {
    return state.openSession("test", 1, 4 << 20, client);
  }

  private Reply run(ServerSession session, Client client, Request request) {
    dispatcher.handle(session, request);
    Reply reply = client.reply(request.getCallId());
    assertNotNull(reply, () -> "no reply to " + request);
    return reply;
  }

  private long createIn(ServerSession session, Client client, String typeId, Value... args) {
    return objectId(run(session, client, RawSession.create(nextCallId++, typeId, args)));
  }

  private Request call(long objectId, String method, Value... args) {
    return invoke(nextCallId++, objectId, method, args);
  }

  private Request parked(long objectId, String method, long timeoutNanos, Value... args) {
    Request request = call(objectId, method, args);
    return request.toBuilder()
        .setInvoke(Invoke.newBuilder(request.getInvoke()).setTimeoutNanos(timeoutNanos))
        .build();
  }

  private static Value intValue(int value) {
    return Value.newBuilder().setInt(value).build();
  }

  private static Value string(String value) {
    return Value.newBuilder().setString(value).build();
  }

  @Test
  void calls_runOnTheReferent_andToStringIsItsDescription() {
    Client client = new Client();
    ServerSession session = open(client);
    long list = createIn(session, client, TypeIds.LIST);
    assertTrue(run(session, client, call(list, "add", string("a"))).getValue().getBool());
    assertEquals("a", run(session, client, call(list, "get", intValue(0))).getValue().getString());
    assertEquals("[a]", run(session, client, call(list, "toString")).getValue().getString());
  }

  @Test
  void badCalls_getTheirErrorCodes_andTheSessionGoesOn() {
    Client client = new Client();
    ServerSession session = open(client);
    long list = createIn(session, client, TypeIds.LIST);
    assertEquals(
        ErrorCode.METHOD_NOT_EXPOSED,
        run(session, client, call(list, "grow")).getError().getCode());
    Reply wrongArity = run(session, client, call(list, "get"));
    assertEquals(ErrorCode.METHOD_FAILED, wrongArity.getError().getCode());
    assertEquals("list.get takes 1 argument, got 0", wrongArity.getError().getMessage());
    assertEquals(
        ErrorCode.UNKNOWN_OBJECT,
        run(session, client, call(list + 100, "size")).getError().getCode());
    assertEquals(
        ErrorCode.UNKNOWN_TYPE,
        run(session, client, RawSession.create(nextCallId++, "no-such-type")).getError().getCode());
    assertEquals(
        ErrorCode.PROTOCOL_ERROR,
        run(session, client, Request.newBuilder().setCallId(nextCallId++).build())
            .getError()
            .getCode());
    assertEquals(0, run(session, client, call(list, "size")).getValue().getInt());
  }

  @Test
  void aSession_holdsAtMostItsLimitOfObjects() {
    Client client = new Client();
    ServerSession session = open(client);
    for (int i = 0; i < MAX_OBJECTS_PER_SESSION; i++) {
      createIn(session, client, TypeIds.LIST);
    }
    Reply refused = run(session, client, RawSession.create(nextCallId++, TypeIds.LIST));
    assertEquals(ErrorCode.LIMIT_EXCEEDED, refused.getError().getCode());
  }

  @Test
  void aParkedGet_isCompletedByAnotherSessionsPut() throws InterruptedException {
    Client getter = new Client();
    Client putter = new Client();
    ServerSession getting = open(getter);
    ServerSession putting = open(putter);
    long queue = createIn(getting, getter, TypeIds.QUEUE);
    Request get = parked(queue, "get", -1);
    dispatcher.handle(getting, get);
    assertNull(getter.reply(get.getCallId()), "the get waits on the manager");
    run(putting, putter, call(queue, "put", string("item")));
    assertEquals("item", getter.awaitReply(get.getCallId()).getValue().getString());
  }

  @Test
  void aParkedGet_timesOutWithItsTimeoutResult() throws InterruptedException {
    Client client = new Client();
    ServerSession session = open(client);
    long queue = createIn(session, client, TypeIds.QUEUE);
    Request get = parked(queue, "get", TimeUnit.MILLISECONDS.toNanos(1));
    dispatcher.handle(session, get);
    assertTrue(client.awaitReply(get.getCallId()).getValue().getNull());
  }

  @Test
  void aSessionThatEnds_releasesItsLockToTheNextWaiter() throws InterruptedException {
    Client holder = new Client();
    Client waiter = new Client();
    ServerSession holding = open(holder);
    ServerSession waiting = open(waiter);
    long lock = createIn(holding, holder, TypeIds.LOCK);
    Request attach =
        Request.newBuilder()
            .setCallId(nextCallId++)
            .setAttach(Attach.newBuilder().setObjectId(lock))
            .build();
    assertEquals(lock, objectId(run(waiting, waiter, attach)));
    assertTrue(run(holding, holder, parked(lock, "acquire", -1)).getValue().getBool());
    Request acquire = parked(lock, "acquire", -1);
    dispatcher.handle(waiting, acquire);
    assertNull(waiter.reply(acquire.getCallId()));
    state.locked(() -> state.endSession(holding));
    assertTrue(waiter.awaitReply(acquire.getCallId()).getValue().getBool());
  }

  @Test
  void stats_countObjectsSessionsAndCalls_andShutdownIsReported() {
    Client client = new Client();
    ServerSession session = open(client);
    createIn(session, client, TypeIds.DICT);
    Reply stats =
        run(
            session,
            client,
            Request.newBuilder()
                .setCallId(nextCallId++)
                .setStats(StatsRequest.getDefaultInstance())
                .build());
    assertEquals(1, stats.getStats().getObjectCount());
    assertEquals(1, stats.getStats().getSessionCount());
    assertEquals(1L, stats.getStats().getObjectsByTypeOrDefault(TypeIds.DICT, 0));
    assertFalse(shutdownRequested.get());
    dispatcher.handle(
        session,
        Request.newBuilder()
            .setCallId(nextCallId++)
            .setShutdown(Shutdown.getDefaultInstance())
            .build());
    assertTrue(shutdownRequested.get());
  }
}
