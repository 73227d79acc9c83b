package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.internal.wire.Authkeys;
import org.multiprocessing4j.proto.v1.Invoke;
import org.multiprocessing4j.proto.v1.OpaqueValue;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * Opt-in Java serialization stays opt-in: a class outside a reader's allow-list is refused before
 * any instance exists (its readObject side effect never happens), in whatever container it travels;
 * and the manager stores such values as opaque bytes, never deserializing them. The manager runs in
 * this JVM with the class on its class path, so the same flag would catch it too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class DeserializationFilterTest {
  private static final byte[] KEY = Authkeys.newRandomText().getBytes(StandardCharsets.UTF_8);

  /**
   * Set by {@link Evil#readObject}: true once any Evil was ever instantiated by deserialization.
   */
  static final AtomicBoolean EVIL_READ = new AtomicBoolean();

  /** A class with a side effect on deserialization, as gadget classes have. */
  static final class Evil implements Serializable {
    private static final long serialVersionUID = 1L;
    final String payload;

    Evil(String payload) {
      this.payload = payload;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      EVIL_READ.set(true);
    }
  }

  /** An innocent class a reader may allow, which can carry anything serializable inside. */
  static final class Holder implements Serializable {
    private static final long serialVersionUID = 1L;
    final Serializable content;

    Holder(Serializable content) {
      this.content = content;
    }
  }

  @RegisterExtension static final ServerExtension<ManagerServer> SERVER = TestServers.tcp(KEY);

  private static ManagedChannel channel;
  // Connected first, so that proxies revived from bytes in this JVM resolve through it: the
  // "reader process" that receives a proxy and reads what another process stored.
  private static Manager reader;
  private static Manager writer;

  @BeforeAll
  static void start() {
    reader =
        Manager.builder()
            .authkey(KEY)
            .allowJavaSerialization(Holder.class.getName())
            .connect(SERVER.target());
    writer =
        Manager.builder()
            .authkey(KEY)
            .allowJavaSerialization(Evil.class.getName(), Holder.class.getName())
            .connect(SERVER.target());
    channel = RawSession.channel(SERVER.target());
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    writer.close();
    reader.close();
  }

  @BeforeEach
  void resetFlag() {
    EVIL_READ.set(false);
  }

  private static byte[] serialize(Object value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  /**
   * The same shared object, seen through the reader's session: a proxy passed between processes.
   */
  // each test names the proxy type it expects
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <T> T passToReader(Object proxy) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(proxy)))) {
      return (T) in.readObject();
    }
  }

  private static void assertRefused(ManagerException e) {
    assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, e.code());
    assertTrue(e.getMessage().contains("refused to deserialize"), e::getMessage);
    assertTrue(
        e.getMessage().contains("allowJavaSerialization"),
        "says how to allow it: " + e.getMessage());
  }

  @Test
  void classOutsideTheAllowListIsRefusedBeforeItIsInstantiated() throws Exception {
    SharedList<Object> written = writer.list();
    written.add(new Evil("side effect"));
    SharedList<Object> read = passToReader(written);
    assertFalse(EVIL_READ.get(), "neither writing nor storing deserializes");

    assertRefused(assertThrows(ManagerException.class, () -> read.get(0)));
    assertRefused(assertThrows(ManagerException.class, read::copy));
    assertFalse(EVIL_READ.get(), "refused before readObject ran");
    // The refusal costs the reader nothing else: its session and the list are fine.
    assertEquals(1, read.size());

    // The control: a reader that allows the class does instantiate it, and the flag shows it.
    assertInstanceOf(Evil.class, written.get(0));
    assertTrue(EVIL_READ.get());
  }

  @Test
  void allowedClassCannotCarryADisallowedOneInside() throws Exception {
    SharedList<Object> written = writer.list();
    written.add(new Holder("harmless"));
    written.add(new Holder(new Evil("inside")));
    SharedList<Object> read = passToReader(written);

    Holder harmless = (Holder) read.get(0); // the reader does allow Holder itself
    assertEquals("harmless", harmless.content);
    assertRefused(assertThrows(ManagerException.class, () -> read.get(1)));
    assertFalse(EVIL_READ.get());
  }

  @Test
  void writerWithoutTheOptInSendsNothing() {
    SharedList<Object> list = reader.list();
    ManagerException e =
        assertThrows(ManagerException.class, () -> list.add(new Evil("no opt-in")));
    assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, e.code());
    assertEquals(0, list.size());
  }

  @Test
  void forgedJavaPayloadFromAnotherSessionIsRefused() throws Exception {
    // A peer that holds the key but not the reader's trust writes serialized bytes straight onto
    // the wire, bypassing every client-side check.
    SharedList<Object> list = reader.list();
    byte[] forged = serialize(new Holder(new Evil("forged")));
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      Reply added =
          raw.call(
              Request.newBuilder()
                  .setCallId(1)
                  .setInvoke(
                      Invoke.newBuilder()
                          .setObjectId(list.objectId())
                          .setMethod("add")
                          .addArgs(opaque(forged)))
                  .build());
      assertTrue(added.getValue().getBool(), () -> "added: " + added);
    }
    assertRefused(assertThrows(ManagerException.class, () -> list.get(0)));
    assertFalse(EVIL_READ.get());
  }

  @Test
  void managerKeepsJavaValuesAsOpaqueBytes() throws Exception {
    Evil evil = new Evil("stored");
    SharedList<Object> list = writer.list();
    list.add(evil);
    // Methods that compare and describe elements, run by the manager on the stored value.
    assertTrue(list.contains(evil));
    assertEquals(0, list.indexOf(evil));
    assertFalse(EVIL_READ.get(), "the manager never deserialized it");

    // What the manager hands back is exactly the bytes the writer sent, still opaque.
    try (RawSession raw = new RawSession(channel)) {
      raw.handshake(KEY);
      // The manager's own rendering (a proxy's toString decodes on the client instead).
      Reply described =
          raw.call(
              Request.newBuilder()
                  .setCallId(2)
                  .setInvoke(Invoke.newBuilder().setObjectId(list.objectId()).setMethod("toString"))
                  .build());
      assertTrue(described.getValue().getString().contains("java value"), described.toString());
      Reply got =
          raw.call(
              Request.newBuilder()
                  .setCallId(1)
                  .setInvoke(Invoke.newBuilder().setObjectId(list.objectId()).setMethod("copy"))
                  .build());
      assertEquals(List.of(opaque(serialize(evil))), got.getValue().getList().getItemsList());
    }
    assertFalse(EVIL_READ.get());
  }

  private static Value opaque(byte[] data) {
    return Value.newBuilder()
        .setOpaque(OpaqueValue.newBuilder().setCodec("java").setData(ByteString.copyFrom(data)))
        .build();
  }
}
