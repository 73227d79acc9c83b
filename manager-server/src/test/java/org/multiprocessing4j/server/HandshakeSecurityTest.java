package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerStats;
import org.multiprocessing4j.internal.wire.Authkeys;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.proto.v1.Cancel;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.Create;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Hello;
import org.multiprocessing4j.proto.v1.Invoke;
import org.multiprocessing4j.proto.v1.Release;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.StatsRequest;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.spi.TypeIds;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * The handshake against a real manager on a real TCP port, driven by hand over a raw stub: nothing
 * is served before a valid Authenticate, wrong and replayed digests are refused, and the authkey
 * never leaves the manager. "Nothing served" is checked on the manager's own counters, through a
 * separate, well-behaved client: no object created and no call counted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class HandshakeSecurityTest {
  // A key as Manager.start() makes them: random text, whose UTF-8 bytes are the key.
  private static final byte[] KEY = Authkeys.newRandomText().getBytes(StandardCharsets.UTF_8);

  @RegisterExtension static final ServerExtension<ManagerServer> SERVER = TestServers.tcp(KEY);

  // The lease bounds how long a stream may take to complete the handshake.
  @RegisterExtension
  static final ServerExtension<ManagerServer> QUICK =
      TestServers.tcp(KEY, b -> b.leaseTimeout(Duration.ofSeconds(2)));

  private static Manager m;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() {
    m = SERVER.manager();
    channel = RawSession.channel(SERVER.target());
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static Request createList(long callId) {
    return Request.newBuilder()
        .setCallId(callId)
        .setCreate(
            Create.newBuilder()
                .setTypeId(TypeIds.LIST)
                .addArgs(
                    Value.newBuilder()
                        .setList(
                            org.multiprocessing4j.proto.v1.ValueList.newBuilder()
                                .addItems(Value.newBuilder().setString("smuggled")))))
        .build();
  }

  /** Everything a session may send besides the handshake: none of it may pass before Welcome. */
  private static List<ClientMessage> serviceMessages() {
    return List.of(
        ClientMessage.newBuilder().setRequest(createList(1)).build(),
        ClientMessage.newBuilder()
            .setRequest(
                Request.newBuilder().setCallId(2).setStats(StatsRequest.getDefaultInstance()))
            .build(),
        // An object id a real session could hold: the well-behaved client's objects start at 1.
        ClientMessage.newBuilder()
            .setRequest(
                Request.newBuilder()
                    .setCallId(3)
                    .setInvoke(Invoke.newBuilder().setObjectId(1).setMethod("size")))
            .build(),
        ClientMessage.newBuilder().setRelease(Release.newBuilder().addObjectIds(1)).build(),
        ClientMessage.newBuilder().setCancel(Cancel.newBuilder().setCallId(1)).build(),
        ClientMessage.getDefaultInstance());
  }

  /** The manager's counters moved only by the stats call that reads them: nothing was served. */
  private static void assertNothingServed(ManagerStats before) {
    ManagerStats after = m.stats();
    assertEquals(before.objectCount(), after.objectCount(), "objects created");
    assertEquals(before.sessionCount(), after.sessionCount(), "sessions opened");
    assertEquals(before.callsServed() + 1, after.callsServed(), "calls served besides stats()");
  }

  /**
   * The stream saw exactly {@code prefix}, then one Goodbye with {@code code}, then a clean end.
   */
  private static void assertRefused(RawSession raw, int prefix, ErrorCode code) {
    ServerMessage goodbye = raw.take();
    assertTrue(goodbye.hasGoodbye(), () -> "expected Goodbye, got " + goodbye);
    assertEquals(code, goodbye.getGoodbye().getCode());
    assertFalse(goodbye.getGoodbye().getMessage().isBlank(), "the refusal says why");
    // The manager closes the stream itself; nothing more comes, above all no Reply or Welcome.
    assertEquals(Status.Code.OK, raw.awaitEnd().getCode());
    List<ServerMessage> all = raw.received();
    assertEquals(prefix + 1, all.size(), () -> "unexpected messages: " + all);
    assertTrue(all.stream().noneMatch(ServerMessage::hasReply), () -> "served: " + all);
    assertTrue(all.stream().noneMatch(ServerMessage::hasWelcome));
  }

  @Test
  void requestBeforeHelloIsRefusedAndNotServed() {
    for (ClientMessage first : serviceMessages()) {
      ManagerStats before = m.stats();
      try (RawSession raw = new RawSession(channel)) {
        raw.send(first);
        // Pipelined behind it, a well-formed Hello must not revive the refused stream.
        raw.send(
            ClientMessage.newBuilder()
                .setHello(
                    Hello.newBuilder()
                        .setProtocolVersion(Handshake.PROTOCOL_VERSION)
                        .setClientNonce(ByteString.copyFrom(Handshake.newNonce())))
                .build());
        raw.send(createList(99));
        assertRefused(raw, 0, ErrorCode.PROTOCOL_ERROR);
        assertTrue(
            raw.received().get(0).getGoodbye().getMessage().contains("Hello"),
            () -> "names the expected message: " + raw.received());
      }
      assertNothingServed(before);
    }
  }

  @Test
  void requestAfterHelloBeforeAuthenticateIsRefusedAndNotServed() {
    for (ClientMessage second : serviceMessages()) {
      ManagerStats before = m.stats();
      try (RawSession raw = new RawSession(channel)) {
        byte[] clientNonce = Handshake.newNonce();
        byte[] serverNonce = raw.hello(clientNonce);
        raw.send(second);
        // Even the right digest, once the stream was refused, opens nothing.
        raw.authenticate(Handshake.clientDigest(KEY, serverNonce, clientNonce));
        raw.send(createList(99));
        assertRefused(raw, 1, ErrorCode.PROTOCOL_ERROR);
      }
      assertNothingServed(before);
    }
  }

  @Test
  void wrongDigestsAreRefused() {
    byte[] wrongKey = Arrays.copyOf(KEY, KEY.length);
    wrongKey[0] ^= 1;
    // Each is a plausible forgery: (serverNonce, clientNonce) -> digest sent.
    Map<String, BiFunction<byte[], byte[], byte[]>> forgeries =
        Map.of(
            "random bytes", (s, c) -> Handshake.newNonce(),
            "empty", (s, c) -> new byte[0],
            "one bit off the key", (s, c) -> Handshake.clientDigest(wrongKey, s, c),
            "nonces swapped", (s, c) -> Handshake.clientDigest(KEY, c, s),
            // Reflection: the manager's own proof, computed by anyone who knows the key role
            // labels but presented as the client's.
            "server role", (s, c) -> Handshake.serverDigest(KEY, c, s),
            "truncated", (s, c) -> Arrays.copyOf(Handshake.clientDigest(KEY, s, c), 31),
            "extended", (s, c) -> Arrays.copyOf(Handshake.clientDigest(KEY, s, c), 33),
            "the key itself", (s, c) -> KEY.clone());
    for (Map.Entry<String, BiFunction<byte[], byte[], byte[]>> forgery : forgeries.entrySet()) {
      ManagerStats before = m.stats();
      try (RawSession raw = new RawSession(channel)) {
        byte[] clientNonce = Handshake.newNonce();
        byte[] serverNonce = raw.hello(clientNonce);
        raw.authenticate(forgery.getValue().apply(serverNonce, clientNonce));
        raw.send(createList(1));
        assertRefused(raw, 1, ErrorCode.AUTHENTICATION_FAILED);
      }
      assertNothingServed(before);
    }
    // The control: the same steps with the right digest do open a session and serve requests.
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      Reply created = raw.call(createList(1));
      assertTrue(created.getValue().hasRef(), () -> "created: " + created);
    }
  }

  @Test
  void replayedDigestIsRefused() {
    byte[] clientNonce = Handshake.newNonce();
    byte[] recordedServerNonce;
    byte[] recordedDigest;
    try (RawSession first = new RawSession(channel)) {
      recordedServerNonce = first.hello(clientNonce);
      recordedDigest = Handshake.clientDigest(KEY, recordedServerNonce, clientNonce);
      first.authenticate(recordedDigest);
      assertTrue(first.take().hasWelcome());
      // Replayed while the original session is still open, then after it closed.
      replayAndExpectRefusal(clientNonce, recordedServerNonce, recordedDigest);
    }
    replayAndExpectRefusal(clientNonce, recordedServerNonce, recordedDigest);
  }

  private static void replayAndExpectRefusal(
      byte[] clientNonce, byte[] recordedServerNonce, byte[] recordedDigest) {
    ManagerStats before = m.stats();
    try (RawSession replay = new RawSession(channel)) {
      byte[] serverNonce = replay.hello(clientNonce);
      assertFalse(
          Arrays.equals(recordedServerNonce, serverNonce), "a fresh server nonce per stream");
      replay.authenticate(recordedDigest);
      replay.send(createList(1));
      assertRefused(replay, 1, ErrorCode.AUTHENTICATION_FAILED);
    }
    assertNothingServed(before);
  }

  @Test
  void authkeyNeverAppearsInWhatTheManagerSends() {
    List<ServerMessage> sent = new ArrayList<>();
    // A full session: handshake, values, errors with remote stack traces, stats, toString.
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      Reply created = raw.call(createList(1));
      long listId = created.getValue().getRef().getObjectId();
      long callId = 2;
      for (String method : List.of("get", "size", "copy", "toString", "nope", "sort")) {
        Invoke.Builder invoke = Invoke.newBuilder().setObjectId(listId).setMethod(method);
        if (method.equals("get")) {
          invoke.addArgs(Value.newBuilder().setInt(42)); // IndexOutOfBounds: a stack trace
        }
        raw.call(Request.newBuilder().setCallId(callId++).setInvoke(invoke).build());
      }
      raw.call(
          Request.newBuilder()
              .setCallId(callId++)
              .setCreate(Create.newBuilder().setTypeId("nope"))
              .build());
      raw.call(
          Request.newBuilder()
              .setCallId(callId)
              .setStats(StatsRequest.getDefaultInstance())
              .build());
      assertEquals(Status.Code.OK, raw.finish().getCode());
      sent.addAll(raw.received());
    }
    // Refusals: a wrong digest, and a protocol error.
    try (RawSession raw = new RawSession(channel)) {
      raw.hello(Handshake.newNonce());
      raw.authenticate(Handshake.newNonce());
      raw.awaitEnd();
      sent.addAll(raw.received());
    }
    try (RawSession raw = new RawSession(channel)) {
      raw.send(createList(1));
      raw.awaitEnd();
      sent.addAll(raw.received());
    }
    assertTrue(sent.size() >= 14, () -> "captured " + sent.size() + " messages");
    assertTrue(
        sent.stream()
            .anyMatch(
                s -> s.hasReply() && !s.getReply().getError().getRemoteStackTrace().isEmpty()));

    List<byte[]> encodings =
        List.of(
            KEY,
            HexFormat.of().formatHex(KEY).getBytes(StandardCharsets.US_ASCII),
            Base64.getEncoder().encode(KEY),
            Base64.getUrlEncoder().withoutPadding().encode(KEY));
    // The search itself can find the key: a check that could never fail would prove nothing.
    assertTrue(contains(concat(Handshake.newNonce(), KEY, Handshake.newNonce()), KEY));
    for (ServerMessage message : sent) {
      byte[] bytes = message.toByteArray();
      for (byte[] encoding : encodings) {
        assertFalse(contains(bytes, encoding), () -> "the authkey appears in " + message);
      }
      // The digests are HMACs, not the key or a function anyone could invert to it.
      if (message.hasWelcome()) {
        assertNotEquals(ByteString.copyFrom(KEY), message.getWelcome().getDigest());
      }
    }
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  @Test
  void aStreamThatNeverCompletesTheHandshakeIsClosedAfterTheLease() throws Exception {
    ManagedChannel quickChannel = RawSession.channel(QUICK.target());
    try {
      try (RawSession silent = new RawSession(quickChannel)) {
        ServerMessage goodbye = silent.take();
        assertTrue(goodbye.hasGoodbye(), goodbye::toString);
        assertEquals(ErrorCode.PROTOCOL_ERROR, goodbye.getGoodbye().getCode());
        assertTrue(goodbye.getGoodbye().getMessage().contains("handshake"), goodbye::toString);
        silent.awaitEnd();
      }
      try (RawSession stalled = new RawSession(quickChannel)) {
        stalled.hello(Handshake.newNonce());
        ServerMessage goodbye = stalled.take();
        assertTrue(goodbye.hasGoodbye(), goodbye::toString);
        assertEquals(ErrorCode.PROTOCOL_ERROR, goodbye.getGoodbye().getCode());
      }
    } finally {
      quickChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSlowHandshakeThatKeepsProgressingCompletes() throws Exception {
    // Each step comes within the 2 s lease of the last; the whole handshake takes longer than one.
    long step = Duration.ofMillis(1300).toMillis();
    ManagedChannel quickChannel = RawSession.channel(QUICK.target());
    try (RawSession slow = new RawSession(quickChannel)) {
      Thread.sleep(step);
      byte[] clientNonce = Handshake.newNonce();
      byte[] serverNonce = slow.hello(clientNonce);
      Thread.sleep(step);
      slow.authenticate(Handshake.clientDigest(KEY, serverNonce, clientNonce));
      ServerMessage welcome = slow.take();
      assertTrue(welcome.hasWelcome(), welcome::toString);
    } finally {
      quickChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
