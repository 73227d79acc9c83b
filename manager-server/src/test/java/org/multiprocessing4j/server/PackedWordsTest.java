package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.server.RawSession.invoke;
import static org.multiprocessing4j.server.RawSession.objectId;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.internal.wire.PackedLists;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.IntList;
import org.multiprocessing4j.proto.v1.LongList;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.spi.TypeIds;
import org.multiprocessing4j.testsupport.HostedManager;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/** Packed int and long lists on the wire: varint values, fixed-width words, or both. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@WithManager(value = ManagerTier.TCP, authkey = "packed-words-key")
final class PackedWordsTest {
  private static final byte[] KEY = "packed-words-key".getBytes(StandardCharsets.UTF_8);
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
  void valuesComeFirstThenWords() {
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      long list = objectId(raw.call(RawSession.create(1, TypeIds.LIST)));
      ByteBuffer words = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      words.putInt(-1).putInt(Integer.MAX_VALUE).putInt(Integer.MIN_VALUE);
      Value ints =
          Value.newBuilder()
              .setIntList(
                  IntList.newBuilder()
                      .addValues(5)
                      .addValues(6)
                      .setWords(ByteString.copyFrom(words.array())))
              .build();
      assertTrue(raw.call(invoke(2, list, "addAll", ints)).hasValue());
      Reply copy = raw.call(invoke(3, list, "copy"));
      assertEquals(
          List.of(5, 6, -1, Integer.MAX_VALUE, Integer.MIN_VALUE),
          PackedLists.unpack(copy.getValue()));
      // The manager answers with words only.
      assertEquals(0, copy.getValue().getIntList().getValuesCount());
      assertEquals(20, copy.getValue().getIntList().getWords().size());
    }
  }

  @Test
  void wordsThatAreNotWholeAreAProtocolErrorAndTheSessionGoesOn() {
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      long list = objectId(raw.call(RawSession.create(1, TypeIds.LIST)));
      Value broken =
          Value.newBuilder()
              .setLongList(LongList.newBuilder().setWords(ByteString.copyFrom(new byte[9])))
              .build();
      Reply refused = raw.call(invoke(2, list, "addAll", broken));
      assertEquals(ErrorCode.PROTOCOL_ERROR, refused.getError().getCode(), refused::toString);
      assertEquals(0, raw.call(invoke(3, list, "size")).getValue().getInt());
    }
  }
}
