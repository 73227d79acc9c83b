package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.multiprocessing4j.server.RawSession.invoke;
import static org.multiprocessing4j.server.RawSession.objectId;

import io.grpc.ForwardingServerCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.internal.wire.SessionTrailers;
import org.multiprocessing4j.proto.v1.Attach;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.Invoke;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.RequestBatch;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.StringList;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.spi.TypeIds;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * Replies a client has not read yet are held by the manager, and bounded: a client that pipelines
 * calls without reading is paused, one that leaves more than {@code maxBytesPerSession} unread
 * otherwise (takes completed for it by other sessions) loses its session, and one that reads is
 * never cut off, however much it has in flight.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class UnreadRepliesTest {
  private static final byte[] KEY = "unread-replies-key".getBytes(StandardCharsets.UTF_8);
  private static final int MAX_MESSAGE = 2 * 1024 * 1024;
  private static final long LIMIT = 4 * 1024 * 1024;
  // About a megabyte of text; a reply carrying it is well under MAX_MESSAGE.
  private static final List<String> MEGABYTE =
      IntStream.range(0, 1000)
          .mapToObj(i -> String.format("%04d", i) + "x".repeat(996))
          .collect(Collectors.toUnmodifiableList());
  private static final Metadata.Key<String> ERROR_CODE =
      Metadata.Key.of(SessionTrailers.ERROR_CODE, Metadata.ASCII_STRING_MARSHALLER);

  @RegisterExtension
  static final ServerExtension<ManagerServer> SERVER =
      TestServers.tcp(KEY, b -> b.maxMessageBytes(MAX_MESSAGE).maxBytesPerSession(LIMIT));

  // A manager whose session streams are never ready for writing: its replies all queue up.
  private static final ServerInterceptor NEVER_READY =
      new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
          return next.startCall(
              new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public boolean isReady() {
                  return false;
                }
              },
              headers);
        }
      };

  @RegisterExtension
  static final ServerExtension<ManagerServer> STALLED =
      TestServers.tcp(
          KEY,
          b ->
              b.serverBuilder(
                      NettyServerBuilder.forAddress(
                              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                          .intercept(NEVER_READY))
                  .maxMessageBytes(MAX_MESSAGE)
                  .maxBytesPerSession(LIMIT));

  private static ManagerServer server;
  private static Manager m;
  private static SharedList<String> shared;
  private static ManagedChannel channel;
  // For clients that stop reading: a fixed 64 KiB flow-control window (no auto-tuning), so that
  // what reaches the client before it reads is small and the same on every run.
  private static ManagedChannel stingyChannel;

  @BeforeAll
  static void start() {
    server = SERVER.server();
    m = SERVER.manager();
    shared = m.list(MEGABYTE);
    channel = RawSession.channel(server.target());
    stingyChannel =
        NettyChannelBuilder.forTarget(server.target())
            .usePlaintext()
            .flowControlWindow(64 * 1024)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    stingyChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** After each test: only the well-behaved client is left, with its list, and it still works. */
  @AfterEach
  void othersAreUnaffected() throws InterruptedException {
    await(() -> server.sessionCount() == 1 && server.objectCount() == 1, "back to the baseline");
    assertEquals(MEGABYTE, shared.copy());
  }

  @Test
  @Timeout(60)
  void aClientThatPipelinesCallsWithoutReadingIsPausedAndLosesNothing() throws Exception {
    pipelineCopiesWithoutReading(
        (raw, copies) -> {
          for (ClientMessage copy : copies) {
            raw.send(copy);
          }
        });
  }

  /** The same, with the forty copies in one RequestBatch: the manager pauses inside the batch. */
  @Test
  @Timeout(60)
  void aBatchWhoseRepliesAreNotReadIsPausedPartWayAndLosesNothing() throws Exception {
    pipelineCopiesWithoutReading(
        (raw, copies) -> {
          RequestBatch.Builder batch = RequestBatch.newBuilder();
          copies.forEach(copy -> batch.addRequests(copy.getRequest()));
          raw.send(ClientMessage.newBuilder().setRequestBatch(batch).build());
        });
  }

  /**
   * A client asks for 40 copies of a megabyte list (40 MB of replies, ten times the limit), sent by
   * {@code send}, and reads nothing until the manager has paused for it.
   */
  private void pipelineCopiesWithoutReading(BiConsumer<RawSession, List<ClientMessage>> send)
      throws Exception {
    int copies = 40;
    try (RawSession raw = RawSession.readingOnRequest(stingyChannel)) {
      raw.request(2);
      raw.handshake(KEY);
      raw.request(1);
      long list = objectId(raw.call(RawSession.create(1, TypeIds.LIST, megabyte())));
      long before = m.stats().callsServed();
      List<ClientMessage> requests = new ArrayList<>();
      for (int i = 0; i < copies; i++) {
        requests.add(ClientMessage.newBuilder().setRequest(invoke(100 + i, list, "copy")).build());
      }
      send.accept(raw, requests);
      // It must answer two (the second takes the unread bytes over the 1 MiB pause threshold) and
      // then wait for the client to read, holding two megabytes for it, not forty. Once paused it
      // runs no further request, so the count below is final.
      await(() -> server.pausedSessionCount() == 1, "reading paused for the client");
      long answered = m.stats().callsServed() - before - 1;
      assertTrue(
          answered >= 1 && answered <= 4, "copies answered while nothing was read: " + answered);
      assertEquals(2, server.sessionCount(), "a paused client keeps its session");
      assertEquals(MEGABYTE, shared.copy());

      // Once the client reads, every reply arrives whole and in order (a megabyte is over
      // GATHER_BYTES, so even a batch's replies travel one by one), and the session goes on.
      raw.request(copies + 1);
      for (int i = 0; i < copies; i++) {
        ServerMessage message = raw.takeAnsweringPings();
        assertEquals(100 + i, message.getReply().getCallId(), () -> "got " + message);
        assertEquals(MEGABYTE, strings(message.getReply().getValue()));
      }
      assertEquals(1000, raw.call(invoke(2, list, "size")).getValue().getInt());
      assertEquals(Status.Code.OK, raw.finish().getCode());
    }
  }

  @Test
  @Timeout(60)
  void aClientThatLeavesTakesCompletedForItUnreadLosesItsSessionAtTheLimit() throws Exception {
    int takes = 16; // 16 MB of items for a client that reads nothing, four times the limit
    try (RawSession greedy = RawSession.readingOnRequest(stingyChannel);
        RawSession producer = new RawSession(channel)) {
      greedy.request(2);
      greedy.handshake(KEY);
      greedy.request(2);
      long queue = objectId(greedy.call(RawSession.create(1, TypeIds.QUEUE)));
      objectId(greedy.call(RawSession.create(2, TypeIds.LIST, megabyte()))); // held by greedy alone
      for (int i = 0; i < takes; i++) {
        greedy.send(invoke(100 + i, queue, "get").toBuilder().setInvoke(blocking(queue)).build());
      }
      // Answered after every get before it: they have all parked.
      greedy.request(1);
      assertEquals(0, greedy.call(invoke(3, queue, "size")).getValue().getInt());
      assertEquals(3, server.objectCount());

      producer.handshake(KEY);
      producer.call(
          Request.newBuilder()
              .setCallId(1)
              .setAttach(Attach.newBuilder().setObjectId(queue).setTypeId(TypeIds.QUEUE))
              .build());
      for (int i = 0; i < takes; i++) {
        Reply put = producer.call(invoke(10 + i, queue, "put", megabyte()));
        assertFalse(put.hasError(), () -> "put failed: " + put);
      }
      // Without greedy reading a byte, its session ended at the limit and what only it held (its
      // list) is freed; the queue, which the producer holds too, stays.
      await(
          () -> server.sessionCount() == 2 && server.objectCount() == 2, "greedy's session ended");
      assertEquals(MEGABYTE, shared.copy());
      int left = producer.call(invoke(40, queue, "size")).getValue().getInt();
      assertTrue(left > 0 && left < takes, "items left in the queue: " + left);

      // Reading now, greedy gets the replies sent before the limit, then the reason.
      greedy.request(Integer.MAX_VALUE);
      Status status = greedy.awaitEnd();
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status::toString);
      String reason = status.getDescription();
      assertTrue(
          reason.contains("over the manager's limit of " + LIMIT + " bytes per client")
              && reason.contains("maxBytesPerSession")
              && reason.contains("--max-bytes-per-session")
              && reason.contains("its references and locks were released"),
          reason);
      assertEquals("LIMIT_EXCEEDED", greedy.endTrailers().get(ERROR_CODE));
      List<Reply> items = new ArrayList<>();
      for (ServerMessage message : greedy.received()) {
        if (message.hasReply() && message.getReply().getCallId() >= 100) {
          items.add(message.getReply());
          assertEquals(MEGABYTE, strings(message.getReply().getValue()));
        }
      }
      // No item lost: each is either in the queue or was sent to greedy before its session ended.
      assertEquals(takes, items.size() + left);
      // And what was held for greedy stayed within the limit, plus the reply that crossed it (its
      // 64 KiB window let next to nothing out before it read).
      long held = items.stream().mapToLong(r -> r.getSerializedSize()).sum();
      assertTrue(held <= LIMIT + MAX_MESSAGE, "bytes sent to a client reading nothing: " + held);
      assertEquals(Status.Code.OK, producer.finish().getCode());
    }
  }

  @Test
  @Timeout(60)
  void aClientThatReadsItsRepliesIsNeverCutOffHoweverManyItPipelines() throws Exception {
    int copies = 24; // 24 MB in flight at once, six times the limit
    try (Manager reader = Manager.connect(server.target(), KEY)) {
      SharedList<String> list = reader.list(MEGABYTE);
      List<CompletableFuture<List<String>>> replies = new ArrayList<>();
      for (int i = 0; i < copies; i++) {
        replies.add(list.async().copy());
      }
      for (CompletableFuture<List<String>> reply : replies) {
        assertEquals(MEGABYTE, reply.get(RawSession.WAIT.toMillis(), TimeUnit.MILLISECONDS));
      }
      assertEquals(MEGABYTE.size(), list.size());
    }
  }

  /**
   * The client's side of the cut-off, with a real client: the manager is made to believe nobody
   * reads (a transport that never reports ready), so the takes completed for it by another session
   * reach the limit. The takes answered before it return their items; the others, and every later
   * call, fail with LIMIT_EXCEEDED saying why and what to change.
   */
  // the test's server listens on 127.0.0.1 exactly
  @SuppressWarnings("AddressSelection")
  @Test
  @Timeout(60)
  void aRealClientCutOffAtTheLimitGetsLimitExceededNamingTheLimit() throws Exception {
    int takes = 8;
    ManagerServer stalled = STALLED.server();
    try (Manager victim = Manager.connect(stalled.target(), KEY)) {
      SharedQueue<List<String>> queue = victim.queue();
      long before = victim.stats().callsServed();
      List<CompletableFuture<List<String>>> taken = new ArrayList<>();
      for (int i = 0; i < takes; i++) {
        CompletableFuture<List<String>> result = new CompletableFuture<>();
        Thread taker =
            new Thread(
                () -> {
                  try {
                    result.complete(queue.take());
                  } catch (Throwable t) {
                    result.completeExceptionally(t);
                  }
                },
                "taker-" + i);
        taker.setDaemon(true);
        taker.start();
        taken.add(result);
      }
      int polls = 0;
      while (victim.stats().callsServed() - before - ++polls < takes) {
        assertTrue(polls < 10_000, "the takes never reached the manager");
        Thread.sleep(5);
      }
      ManagedChannel toStalled = RawSession.channel(stalled.target());
      try (RawSession producer = new RawSession(toStalled)) {
        producer.handshake(KEY);
        producer.call(
            Request.newBuilder()
                .setCallId(1)
                .setAttach(
                    Attach.newBuilder().setObjectId(queue.objectId()).setTypeId(TypeIds.QUEUE))
                .build());
        for (int i = 0; i < takes; i++) {
          assertFalse(
              producer.call(invoke(10 + i, queue.objectId(), "put", megabyte())).hasError());
        }
        int delivered = 0;
        List<ManagerException> failures = new ArrayList<>();
        for (CompletableFuture<List<String>> result : taken) {
          try {
            assertEquals(MEGABYTE, result.get(RawSession.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            delivered++;
          } catch (ExecutionException e) {
            failures.add(assertInstanceOf(ManagerException.class, e.getCause()));
          }
        }
        int left = producer.call(invoke(20, queue.objectId(), "size")).getValue().getInt();
        assertEquals(takes, delivered + left, "no item lost");
        assertTrue(delivered > 0 && !failures.isEmpty(), delivered + " delivered, " + failures);
        for (ManagerException e : failures) {
          assertEquals(ManagerException.Code.LIMIT_EXCEEDED, e.code(), e::toString);
        }
        ManagerException later = assertThrows(ManagerException.class, queue::size);
        assertEquals(ManagerException.Code.LIMIT_EXCEEDED, later.code());
        String message = later.getMessage();
        assertTrue(
            message.startsWith(
                    "the manager at "
                        + stalled.target()
                        + " ended this session: this"
                        + " client left ")
                && message.contains(
                    "over the manager's limit of "
                        + LIMIT
                        + " bytes per client"
                        + " (maxBytesPerSession, --max-bytes-per-session)")
                && message.endsWith("open a new connection to go on"),
            message);
        assertEquals(Status.Code.OK, producer.finish().getCode());
      } finally {
        toStalled.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void maxBytesPerSessionIsValidated() { // the builder's own checks: it builds its servers here
    IllegalArgumentException tooSmall =
        assertThrows(
            IllegalArgumentException.class, () -> ManagerServer.builder().maxBytesPerSession(1023));
    assertTrue(tooSmall.getMessage().contains("at least 1024"), tooSmall.getMessage());
    // Below the message limit, the largest reply could never be sent.
    IllegalArgumentException belowMessage =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ManagerServer.builder()
                    .authkey(KEY)
                    .inProcess("unread-validation")
                    .maxBytesPerSession(1024 * 1024)
                    .build());
    assertEquals(
        "maxBytesPerSession (1048576) must be at least maxMessageBytes (67108864): a reply of the"
            + " largest size could never be sent",
        belowMessage.getMessage());
    // Unset, it follows maxMessageBytes, so raising only that still builds; equal is enough.
    ManagerServer.builder()
        .authkey(KEY)
        .inProcess("unread-validation")
        .maxMessageBytes(512 * 1024 * 1024)
        .build()
        .close();
    ManagerServer.builder()
        .authkey(KEY)
        .inProcess("unread-validation")
        .maxMessageBytes(MAX_MESSAGE)
        .maxBytesPerSession(MAX_MESSAGE)
        .build()
        .close();
  }

  @Test
  void theSidecarTakesTheFlag() throws Exception {
    List<String> command =
        ChildJvm.command(
            List.of(),
            ManagerMain.class.getName(),
            "--max-message-size",
            "2097152",
            "--max-bytes-per-session",
            "1048576");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(Manager.ENV_AUTHKEY, "k");
    String output = ChildJvm.finish(builder.start(), 2);
    assertTrue(
        output.contains("maxBytesPerSession (1048576) must be at least maxMessageBytes (2097152)"),
        output);
  }

  private static Value megabyte() {
    return Value.newBuilder().setStringList(StringList.newBuilder().addAllValues(MEGABYTE)).build();
  }

  private static List<String> strings(Value value) {
    if (value.hasStringList()) {
      return value.getStringList().getValuesList();
    }
    return value.getList().getItemsList().stream()
        .map(Value::getString)
        .collect(Collectors.toList());
  }

  /** A get that waits until an item comes. */
  private static Invoke blocking(long queue) {
    return Invoke.newBuilder().setObjectId(queue).setMethod("get").setTimeoutNanos(-1).build();
  }

  private static void await(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + RawSession.WAIT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(
            what
                + ": not within "
                + RawSession.WAIT
                + " (sessions "
                + server.sessionCount()
                + ", objects "
                + server.objectCount()
                + ")");
      }
      Thread.sleep(10);
    }
  }
}
