package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.RequestBatch;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.proto.v1.Welcome;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * The message limits of both ends, with different limits on each side: a sidecar manager (its own
 * JVM, a real socket) started with {@code --max-message-size 1048576} under clients at the default
 * 64 MiB, and a client at 1 MiB under a manager at 64 MiB. Every refusal is {@code
 * MESSAGE_TOO_LARGE}, stores nothing, and leaves the session, its objects and its locks as they
 * were.
 */
// lock and unlock are the calls under test, not a critical section
@SuppressWarnings("LockNotBeforeTry")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MessageLimitTest {
  private static final String KEY_TEXT = "message-limit-key";
  private static final byte[] KEY = KEY_TEXT.getBytes(StandardCharsets.UTF_8);
  private static final int MANAGER_LIMIT = 1024 * 1024;
  private static final String MB_1_1 = "x".repeat(MANAGER_LIMIT + 100 * 1024);
  private static final String MB_2 = "y".repeat(2 * MANAGER_LIMIT);

  // A manager in this JVM at the default limit, for a client with a smaller one.
  @RegisterExtension
  static final ServerExtension<ManagerServer> DEFAULT_LIMIT = TestServers.tcp(KEY);

  private static Process sidecar;
  private static String target;

  @BeforeAll
  static void startSidecar() throws Exception {
    List<String> command =
        ChildJvm.command(
            List.of(),
            ManagerMain.class.getName(),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--max-message-size",
            Integer.toString(MANAGER_LIMIT),
            "--exit-with-parent");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(Manager.ENV_AUTHKEY, KEY_TEXT);
    builder.environment().remove(Manager.ENV_AUTHKEY_FILE);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    sidecar = builder.start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(sidecar.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(ManagerMain.LISTENING_PREFIX)) {
        target = line.substring(ManagerMain.LISTENING_PREFIX.length()).trim();
        return;
      }
    }
    fail("the sidecar exited before it was listening (exit code " + sidecar.waitFor() + ")");
  }

  @AfterAll
  static void stopSidecar() throws Exception {
    if (sidecar != null) {
      sidecar.getOutputStream().close(); // --exit-with-parent: it exits when stdin closes
      if (!sidecar.waitFor(30, TimeUnit.SECONDS)) {
        sidecar.destroyForcibly();
      }
    }
  }

  @Test
  void theClientLearnsTheManagersSmallerLimitAndRefusesLargerRequestsBeforeSending()
      throws Exception {
    try (Manager client = Manager.connect(target, KEY)) {
      SharedList<String> list = client.list();
      SharedLock lock = client.lock();
      lock.lock();
      for (String tooLarge : List.of(MB_1_1, MB_2)) {
        ManagerException e = assertThrows(ManagerException.class, () -> list.add(tooLarge));
        assertEquals(ManagerException.Code.MESSAGE_TOO_LARGE, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(MANAGER_LIMIT)), e.getMessage());
        ManagerException async =
            assertThrows(ManagerException.class, () -> join(list.async().add(tooLarge)));
        assertEquals(ManagerException.Code.MESSAGE_TOO_LARGE, async.code(), async.getMessage());
      }
      // A list the manager holds but cannot send whole: its reply is refused, the parts are not.
      String part = "z".repeat(600 * 1024);
      for (int i = 0; i < 4; i++) {
        list.add(part);
      }
      ManagerException whole = assertThrows(ManagerException.class, list::copy);
      assertEquals(ManagerException.Code.MESSAGE_TOO_LARGE, whole.code(), whole.getMessage());
      assertEquals(part, list.get(3));
      // The session, its objects and its lock are as they were.
      assertEquals(4, list.size());
      assertTrue(lock.isLocked());
      lock.unlock(); // would throw if the session had lost the lock
      assertFalse(lock.isLocked());
    }
  }

  @Test
  void theManagerAnswersAnOverLimitRequestItReceivesAndKeepsTheSession() {
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      RawSession raw = new RawSession(channel);
      Welcome welcome = raw.handshake(KEY);
      assertEquals(MANAGER_LIMIT, welcome.getMaxMessageBytes());
      long list = RawSession.objectId(raw.call(RawSession.create(1, "list")));
      long lock = RawSession.objectId(raw.call(RawSession.create(2, "lock")));
      assertTrue(raw.call(RawSession.invoke(3, lock, "acquire")).getValue().getBool());
      long callId = 10;
      for (String tooLarge : List.of(MB_1_1, MB_2)) {
        Reply refused = raw.call(RawSession.invoke(callId++, list, "add", string(tooLarge)));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, refused.getError().getCode(), summary(refused));
        assertTrue(
            refused.getError().getMessage().contains(Integer.toString(MANAGER_LIMIT)),
            summary(refused));
      }
      // In a batch, the over-limit request is refused and its neighbours run.
      raw.send(
          ClientMessage.newBuilder()
              .setRequestBatch(
                  RequestBatch.newBuilder()
                      .addRequests(RawSession.invoke(20, list, "add", string("a")))
                      .addRequests(RawSession.invoke(21, list, "add", string(MB_2)))
                      .addRequests(RawSession.invoke(22, list, "add", string("b"))))
              .build());
      Map<Long, Reply> batch = replies(raw, 3);
      assertFalse(batch.get(20L).hasError(), summary(batch.get(20L)));
      assertEquals(ErrorCode.MESSAGE_TOO_LARGE, batch.get(21L).getError().getCode());
      assertFalse(batch.get(22L).hasError(), summary(batch.get(22L)));
      // Still the same session: its list holds what fitted, its lock is still its own.
      Reply copy = raw.call(RawSession.invoke(30, list, "copy"));
      assertEquals(List.of("a", "b"), strings(copy.getValue()));
      assertTrue(raw.call(RawSession.invoke(31, lock, "isLocked")).getValue().getBool());
      assertFalse(raw.call(RawSession.invoke(32, lock, "release")).hasError());
      assertEquals(Status.Code.OK, raw.finish().getCode());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aValueTheClientCouldNeverReadBackIsRefusedWhenStored() {
    ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      RawSession raw = new RawSession(channel);
      // This client takes messages of at most 64 KiB, which it says in its Hello.
      raw.handshake(KEY, 64 * 1024);
      long list = RawSession.objectId(raw.call(RawSession.create(1, "list")));
      Reply refused = raw.call(RawSession.invoke(2, list, "add", string("v".repeat(100 * 1024))));
      assertEquals(ErrorCode.MESSAGE_TOO_LARGE, refused.getError().getCode(), summary(refused));
      assertTrue(refused.getError().getMessage().contains("65536"), summary(refused));
      String fits = "w".repeat(60 * 1024);
      assertFalse(raw.call(RawSession.invoke(3, list, "add", string(fits))).hasError());
      assertEquals(List.of(fits), strings(raw.call(RawSession.invoke(4, list, "copy")).getValue()));
      assertEquals(Status.Code.OK, raw.finish().getCode());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aClientWithASmallerLimitThanItsManagerGetsRefusalsNotALostSession() throws Exception {
    ManagerServer server = DEFAULT_LIMIT.server();
    try (Manager small =
        Manager.builder().authkey(KEY).maxMessageBytes(MANAGER_LIMIT).connect(server.target())) {
      SharedList<String> list = small.list();
      SharedLock lock = small.lock();
      lock.lock();
      ManagerException request = assertThrows(ManagerException.class, () -> list.add(MB_2));
      assertEquals(ManagerException.Code.MESSAGE_TOO_LARGE, request.code(), request.getMessage());
      // The manager would send 2.4 MB back, more than this client takes: it refuses instead.
      String part = "z".repeat(600 * 1024);
      for (int i = 0; i < 4; i++) {
        list.add(part);
      }
      ManagerException reply = assertThrows(ManagerException.class, list::copy);
      assertEquals(ManagerException.Code.MESSAGE_TOO_LARGE, reply.code(), reply.getMessage());
      assertEquals(4, list.size());
      assertEquals(part, list.get(0));
      assertTrue(lock.isLocked());
      lock.unlock();
      assertEquals(1, server.sessionCount());
    }
  }

  private static Object join(java.util.concurrent.CompletableFuture<?> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The next {@code count} replies, by call id, whether they come alone or in a ReplyBatch. */
  private static Map<Long, Reply> replies(RawSession raw, int count) {
    Map<Long, Reply> byCall = new HashMap<>();
    while (byCall.size() < count) {
      ServerMessage message = raw.take();
      List<Reply> replies = new ArrayList<>();
      if (message.hasReply()) {
        replies.add(message.getReply());
      } else if (message.hasReplyBatch()) {
        replies.addAll(message.getReplyBatch().getRepliesList());
      }
      replies.forEach(r -> byCall.put(r.getCallId(), r));
    }
    return byCall;
  }

  private static Value string(String s) {
    return Value.newBuilder().setString(s).build();
  }

  private static List<String> strings(Value value) {
    if (value.hasStringList()) {
      return value.getStringList().getValuesList();
    }
    List<String> strings = new ArrayList<>();
    value.getList().getItemsList().forEach(v -> strings.add(v.getString()));
    return strings;
  }

  /** A reply without its (possibly megabytes of) value, for assertion messages. */
  private static String summary(Reply reply) {
    return reply.hasError()
        ? reply.getError().toString()
        : "a value of " + reply.getValue().getSerializedSize() + " bytes";
  }
}
