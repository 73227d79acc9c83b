package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.server.RawSession.invoke;
import static org.multiprocessing4j.server.RawSession.objectId;

import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.RequestBatch;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.StringList;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.spi.TypeIds;
import org.multiprocessing4j.testsupport.HostedManager;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * RequestBatch on the wire: requests run in order as if sent one by one, and the replies they
 * produce at once come back together in ReplyBatch messages, except a call that waits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@WithManager(value = ManagerTier.TCP, authkey = "request-batch-key")
final class RequestBatchTest {
  private static final byte[] KEY = "request-batch-key".getBytes(StandardCharsets.UTF_8);
  private static ManagedChannel channel;

  @BeforeAll
  static void start(HostedManager manager) {
    channel = RawSession.channel(manager.target());
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void theManagerSaysItTakesBatches() {
    try (RawSession raw = new RawSession(channel)) {
      assertTrue(raw.handshake(KEY).getTakesBatches());
    }
  }

  @Test
  void requestsRunInOrderAndTheirRepliesComeBackTogether() {
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      long list = objectId(raw.call(RawSession.create(1, TypeIds.LIST)));
      List<Request> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(invoke(10 + i, list, "add", Value.newBuilder().setInt(i).build()));
      }
      batch.add(invoke(200, list, "size"));
      batch.add(invoke(201, list, "get", Value.newBuilder().setInt(99).build()));
      raw.send(batch(batch));

      // One ReplyBatch per REQUESTS_PER_LOCK requests: the lock is let go in between.
      List<Reply> replies = new ArrayList<>();
      int expectedMessages = -Math.floorDiv(-batch.size(), Dispatcher.REQUESTS_PER_LOCK);
      for (int i = 0; i < expectedMessages; i++) {
        ServerMessage message = raw.take();
        assertTrue(message.hasReplyBatch(), () -> "expected a ReplyBatch, got " + message);
        replies.addAll(message.getReplyBatch().getRepliesList());
      }
      assertEquals(
          batch.stream().map(Request::getCallId).collect(Collectors.toList()),
          replies.stream().map(Reply::getCallId).collect(Collectors.toList()));
      assertEquals(100, replies.get(100).getValue().getInt());
      assertEquals(99, replies.get(101).getValue().getInt());
    }
  }

  @Test
  void aFailingRequestFailsAloneAndTheRestOfTheBatchRuns() {
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      long list = objectId(raw.call(RawSession.create(1, TypeIds.LIST)));
      raw.send(
          batch(
              List.of(
                  invoke(2, list, "add", Value.newBuilder().setString("a").build()),
                  invoke(3, 987654321L, "size"),
                  invoke(4, list, "get", Value.newBuilder().setInt(5).build()),
                  invoke(5, list, "add", Value.newBuilder().setString("b").build()),
                  invoke(6, list, "copy"))));
      Map<Long, Reply> replies = byCallId(raw, 5);
      assertEquals(ErrorCode.UNKNOWN_OBJECT, replies.get(3L).getError().getCode());
      assertEquals(ErrorCode.METHOD_FAILED, replies.get(4L).getError().getCode());
      assertEquals(
          "java.lang.IndexOutOfBoundsException", replies.get(4L).getError().getExceptionClass());
      assertEquals(List.of("a", "b"), strings(replies.get(6L).getValue()));
    }
  }

  @Test
  void aCallThatWaitsIsAnsweredOnItsOwnOnceItCanBe() {
    try (RawSession raw = new RawSession(channel);
        RawSession other = new RawSession(channel)) {
      raw.handshake(KEY);
      other.handshake(KEY);
      long queue = objectId(raw.call(RawSession.create(1, TypeIds.QUEUE)));
      Request take =
          invoke(2, queue, "get").toBuilder()
              .setInvoke(invoke(2, queue, "get").getInvoke().toBuilder().setTimeoutNanos(-1))
              .build();
      raw.send(batch(List.of(take, invoke(3, queue, "size"), invoke(4, queue, "peek"))));
      ServerMessage first = raw.take();
      assertTrue(first.hasReplyBatch(), () -> "expected a ReplyBatch, got " + first);
      assertEquals(
          List.of(3L, 4L),
          first.getReplyBatch().getRepliesList().stream()
              .map(Reply::getCallId)
              .collect(Collectors.toList()));

      // Another client's put completes the waiting take: its reply comes alone.
      long attached = queue;
      other.call(
          Request.newBuilder()
              .setCallId(1)
              .setAttach(
                  org.multiprocessing4j.proto.v1.Attach.newBuilder()
                      .setObjectId(attached)
                      .setTypeId(TypeIds.QUEUE))
              .build());
      other.call(invoke(2, queue, "put", Value.newBuilder().setString("item").build()));
      ServerMessage later = raw.take();
      assertTrue(later.hasReply(), () -> "expected a Reply, got " + later);
      assertEquals(2, later.getReply().getCallId());
      assertEquals("item", later.getReply().getValue().getString());
    }
  }

  @Test
  void aWaitingCallCompletedLaterInTheSameBatchIsAnsweredWithIt() {
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      long queue = objectId(raw.call(RawSession.create(1, TypeIds.QUEUE)));
      Request take =
          invoke(2, queue, "get").toBuilder()
              .setInvoke(invoke(2, queue, "get").getInvoke().toBuilder().setTimeoutNanos(-1))
              .build();
      raw.send(batch(List.of(take, invoke(3, queue, "put", Value.newBuilder().setInt(7).build()))));
      Map<Long, Reply> replies = byCallId(raw, 2);
      assertEquals(7, replies.get(2L).getValue().getInt());
      assertTrue(replies.get(3L).hasValue());
    }
  }

  @Test
  void repliesAreSentInMessagesOfAboutGatherBytesInOrder() {
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      // 3,000 strings of 10 characters: each copy is a reply of about 36 KB, under GATHER_BYTES.
      StringList.Builder strings = StringList.newBuilder();
      for (int i = 0; i < 3_000; i++) {
        strings.addValues(String.format("%010d", i));
      }
      long list =
          objectId(
              raw.call(
                  RawSession.create(
                      1, TypeIds.LIST, Value.newBuilder().setStringList(strings).build())));
      List<Request> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        batch.add(invoke(10 + i, list, "copy"));
      }
      raw.send(batch(batch));
      List<Long> order = new ArrayList<>();
      int messages = 0;
      while (order.size() < batch.size()) {
        ServerMessage message = raw.take();
        messages++;
        assertTrue(message.hasReplyBatch(), () -> "expected a ReplyBatch, got " + message);
        // Held back until they reach GATHER_BYTES: the last one added takes them past it.
        assertTrue(message.getSerializedSize() < 2 * Replies.GATHER_BYTES);
        for (Reply reply : message.getReplyBatch().getRepliesList()) {
          assertEquals(3_000, strings(reply.getValue()).size());
          order.add(reply.getCallId());
        }
      }
      assertEquals(batch.stream().map(Request::getCallId).collect(Collectors.toList()), order);
      assertEquals(5, messages); // two replies of 36 KB reach GATHER_BYTES (64 KiB)
    }
  }

  private static ClientMessage batch(List<Request> requests) {
    return ClientMessage.newBuilder()
        .setRequestBatch(RequestBatch.newBuilder().addAllRequests(requests))
        .build();
  }

  /** Takes messages until {@code count} replies came, in one ReplyBatch or several messages. */
  private static Map<Long, Reply> byCallId(RawSession raw, int count) {
    List<Reply> replies = new ArrayList<>();
    while (replies.size() < count) {
      ServerMessage message = raw.take();
      if (message.hasReplyBatch()) {
        replies.addAll(message.getReplyBatch().getRepliesList());
      } else {
        replies.add(message.getReply());
      }
    }
    return replies.stream().collect(Collectors.toMap(Reply::getCallId, Function.identity()));
  }

  private static List<String> strings(Value value) {
    if (value.hasStringList()) {
      return value.getStringList().getValuesList();
    }
    return value.getList().getItemsList().stream()
        .map(Value::getString)
        .collect(Collectors.toList());
  }
}
