package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.internal.client.ClientInternals;
import org.multiprocessing4j.proto.v1.Attach;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.ObjectRef;
import org.multiprocessing4j.proto.v1.Release;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.StatsRequest;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.proto.v1.ValueList;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * A proxy serialized from one manager and deserialized after that manager was replaced by another
 * at the same address (a sidecar restarted on its fixed port) must not reach whatever object the
 * new manager gave its id: ids start at 1 in every manager. Real managers on a real TCP port.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StaleReferenceTest {
  private static final byte[] KEY = "stale-reference-key".getBytes(StandardCharsets.UTF_8);
  private static final String GONE = "this reference belongs to a manager that is gone";

  // Two managers at different addresses, for the raw attach test.
  @RegisterExtension static final ServerExtension<ManagerServer> ONE = TestServers.tcp(KEY);
  @RegisterExtension static final ServerExtension<ManagerServer> TWO = TestServers.tcp(KEY);

  @Test
  void aReferenceFromAReplacedManagerDoesNotBecomeTheNewManagersQueue() throws Exception {
    byte[] reference;
    int port;
    try (ManagerServer first = server(0);
        Manager m1 = Manager.connect(first.target(), KEY)) {
      port = first.port();
      SharedList<String> list = m1.list(List.of("old"));
      reference = serialize(list);
      m1.shutdown();
    }
    try (ManagerServer second = server(port);
        Manager m2 = Manager.connect(second.target(), KEY)) {
      SharedQueue<String> queue = m2.queue(); // id 1 again
      queue.put("queued");
      ManagerException e = assertThrows(ManagerException.class, () -> deserialize(reference));
      assertEquals(ManagerException.Code.UNKNOWN_OBJECT, e.code());
      assertTrue(e.getMessage().contains(GONE), e.getMessage());
      // The queue is untouched, and the session that tried goes on.
      assertEquals(1, queue.size());
      assertEquals("queued", queue.take());
    }
  }

  @Test
  void aReferenceFromAReplacedManagerDoesNotReadTheNewManagersList() throws Exception {
    byte[] reference;
    int port;
    try (ManagerServer first = server(0);
        Manager m1 = Manager.connect(first.target(), KEY)) {
      port = first.port();
      reference = serialize(m1.list(List.of("old")));
      m1.shutdown();
    }
    try (ManagerServer second = server(port);
        Manager m2 = Manager.connect(second.target(), KEY)) {
      SharedList<String> fresh = m2.list(List.of("new")); // id 1, and a list too
      ManagerException e = assertThrows(ManagerException.class, () -> deserialize(reference));
      assertEquals(ManagerException.Code.UNKNOWN_OBJECT, e.code());
      assertTrue(e.getMessage().contains(GONE), e.getMessage());
      assertEquals(List.of("new"), fresh.copy());
    }
  }

  /**
   * The same, for a proxy that never left this JVM: still referenced after its manager was
   * replaced, and passed as an argument to the new one (stored in a list, a dict, a nested value).
   */
  @Test
  void aLiveProxyOfAReplacedManagerIsRefusedAsAnArgument() throws Exception {
    SharedList<String> old;
    int port;
    try (ManagerServer first = server(0);
        Manager m1 = Manager.connect(first.target(), KEY)) {
      port = first.port();
      old = m1.list(List.of("old"));
      m1.shutdown();
    }
    try (ManagerServer second = server(port);
        Manager m2 = Manager.connect(second.target(), KEY)) {
      SharedQueue<String> queue = m2.queue(); // id 1 again, the id of the old list
      queue.put("queued");
      assertEquals(queue.objectId(), old.objectId());
      assertEquals(second.target(), old.managerTarget());
      SharedList<Object> list = m2.list();
      SharedMap<String, Object> dict = m2.dict();
      assertGone(() -> list.add(old));
      assertGone(() -> list.add(List.of("nested", old)));
      assertGone(() -> dict.put("k", old));
      assertGone(() -> m2.value(old));
      // Nothing was stored, the queue is untouched, and the session goes on.
      assertEquals(List.of(), list.copy());
      assertTrue(dict.isEmpty());
      assertEquals(1, queue.size());
      assertEquals("queued", queue.take());
      list.add(queue); // the new manager's own proxies are taken
      assertEquals(List.of(queue), list.copy());
    }
  }

  /**
   * Equality of proxies is identity of the referent: the same object id at the same address is
   * another object once the manager there was replaced.
   */
  @Test
  void proxiesOfTwoManagerInstancesAtOneAddressAreNotEqual() throws Exception {
    SharedLock old;
    int port;
    try (ManagerServer first = server(0);
        Manager m1 = Manager.connect(first.target(), KEY)) {
      port = first.port();
      old = m1.lock();
      m1.shutdown();
    }
    try (ManagerServer second = server(port);
        Manager m2 = Manager.connect(second.target(), KEY);
        Manager other = Manager.connect(second.target(), KEY)) {
      SharedLock fresh = m2.lock(); // id 1 again, same type, same address
      assertEquals(old.objectId(), fresh.objectId());
      assertEquals(old.managerTarget(), fresh.managerTarget());
      assertNotEquals(old, fresh);
      assertNotEquals(fresh, old);
      // Distinct instance ids are random: their hashes differ but for a 2^-32 chance.
      assertNotEquals(old.hashCode(), fresh.hashCode());
      // Proxies of one referent are still equal, whichever session made them.
      SharedLock same =
          (SharedLock) ClientInternals.attach(other, fresh.objectId(), fresh.typeId());
      assertEquals(fresh, same);
      assertEquals(fresh.hashCode(), same.hashCode());
    }
  }

  /**
   * One manager reached under two addresses from one JVM: proxies of one object are equal, with
   * equal hashes, whichever address their session used; the manager's instance says it is one.
   */
  @Test
  void proxiesOfOneObjectReachedUnderTwoAddressesAreEqual() throws Exception {
    try (ManagerServer server = server(0);
        Manager byNumber = Manager.connect("127.0.0.1:" + server.port(), KEY);
        Manager byName = Manager.connect("localhost:" + server.port(), KEY)) {
      SharedLock lock = byNumber.lock();
      SharedLock otherLock = byNumber.lock();
      SharedMap<String, Object> dict = byNumber.dict();
      dict.put("lock", lock);
      // The dict as the other session sees it, and the lock inside it, a nested proxy.
      @SuppressWarnings("unchecked")
      SharedMap<String, Object> sameDict =
          (SharedMap<String, Object>)
              ClientInternals.attach(byName, dict.objectId(), dict.typeId());
      SharedLock sameLock = (SharedLock) sameDict.get("lock");
      assertEquals("localhost:" + server.port(), sameLock.managerTarget());
      assertNotEquals(lock.managerTarget(), sameLock.managerTarget());

      assertEquals(lock, sameLock);
      assertEquals(sameLock, lock);
      assertEquals(lock.hashCode(), sameLock.hashCode());
      assertNotEquals(otherLock, sameLock);
      assertNotEquals(sameLock, otherLock);
      // And both are the one lock: held through one proxy, it is taken for the other.
      assertTrue(lock.tryLock());
      try {
        assertTrue(!sameLock.tryLock());
      } finally {
        lock.unlock();
      }
      assertTrue(sameLock.tryLock());
      sameLock.unlock();
    }
  }

  @Test
  void aProxyReachedUnderAnotherAddressOfTheSameManagerCanBeStored() throws Exception {
    try (ManagerServer server = server(0);
        Manager byNumber = Manager.connect("127.0.0.1:" + server.port(), KEY);
        Manager byName = Manager.connect("localhost:" + server.port(), KEY)) {
      SharedLock lock = byNumber.lock();
      SharedList<Object> list = byName.list();
      // The same manager instance under another address string: the lock is one of its objects.
      list.add(lock);
      SharedLock stored = (SharedLock) list.get(0);
      assertEquals(lock, stored);
      assertEquals("localhost:" + server.port(), stored.managerTarget());
    }
  }

  private static void assertGone(Executable call) {
    ManagerException e = assertThrows(ManagerException.class, call);
    assertEquals(ManagerException.Code.UNKNOWN_OBJECT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(GONE), e.getMessage());
  }

  @Test
  void theManagerRefusesAnAttachFromAnotherManagerInstanceOrOfAnotherType() throws Exception {
    // m1 at one address made the reference; m2, at another address, now has an object with its id.
    try (Channels c1 = new Channels(ONE.target(), TWO.target())) {
      RawSession first = new RawSession(c1.first);
      long firstInstance = first.handshake(KEY).getManagerInstanceId();
      long listId = RawSession.objectId(first.call(RawSession.create(1, "list")));

      RawSession second = new RawSession(c1.second);
      long secondInstance = second.handshake(KEY).getManagerInstanceId();
      assertNotEquals(0, firstInstance);
      assertNotEquals(firstInstance, secondInstance);
      long queueId = RawSession.objectId(second.call(RawSession.create(1, "queue")));
      assertEquals(listId, queueId, "both managers number their objects from the same start");

      // The reference of m1's list, presented to m2: refused, whatever its type.
      Reply foreign = second.call(attach(2, listId, "list", firstInstance));
      assertEquals(ErrorCode.UNKNOWN_OBJECT, foreign.getError().getCode(), foreign.toString());
      assertTrue(foreign.getError().getMessage().contains(GONE), foreign.toString());
      Reply foreignSameType = second.call(attach(3, queueId, "queue", firstInstance));
      assertEquals(ErrorCode.UNKNOWN_OBJECT, foreignSameType.getError().getCode());
      // A reference without an instance (an older client) is still checked for its type.
      Reply wrongType = second.call(attach(4, queueId, "list", 0));
      assertEquals(ErrorCode.UNKNOWN_OBJECT, wrongType.getError().getCode(), wrongType.toString());
      assertTrue(wrongType.getError().getMessage().contains("queue"), wrongType.toString());
      // m2's own references attach.
      Reply own = second.call(attach(5, queueId, "queue", secondInstance));
      assertEquals(queueId, RawSession.objectId(own));

      // Nothing was attached by the refusals: two releases (create and the one good attach) free
      // it.
      second.send(
          ClientMessage.newBuilder()
              .setRelease(Release.newBuilder().addObjectIds(queueId).addObjectIds(queueId))
              .build());
      Reply stats =
          second.call(
              Request.newBuilder()
                  .setCallId(6)
                  .setStats(StatsRequest.getDefaultInstance())
                  .build());
      assertEquals(0, stats.getStats().getObjectCount(), stats.toString());
      first.close();
      second.close();
    }
  }

  /**
   * A reference passed as an argument names its object's type as Attach does: one whose type is not
   * that of the object with its id (made by another manager, or forged) is refused, wherever it
   * sits in the arguments, and nothing is stored or created.
   */
  @Test
  void theManagerRefusesAnArgumentReferenceOfAnotherType() throws Exception {
    io.grpc.ManagedChannel channel = RawSession.channel(ONE.target());
    try {
      RawSession raw = new RawSession(channel);
      long instance = raw.handshake(KEY).getManagerInstanceId();
      long listId = RawSession.objectId(raw.call(RawSession.create(1, "list")));
      long queueId = RawSession.objectId(raw.call(RawSession.create(2, "queue")));
      long dictId = RawSession.objectId(raw.call(RawSession.create(3, "dict")));
      long objectsBefore = objectCount(raw, 4);

      Value queueAsList = ref(queueId, "list", instance);
      Value nested =
          Value.newBuilder()
              .setList(
                  ValueList.newBuilder()
                      .addItems(Value.newBuilder().setString("first"))
                      .addItems(queueAsList))
              .build();
      Value noType = ref(queueId, "", instance);
      Value olderClient = ref(queueId, "dict", 0);
      List<Request> forged =
          List.of(
              RawSession.invoke(10, listId, "add", queueAsList),
              RawSession.invoke(11, listId, "add", nested),
              RawSession.invoke(12, listId, "add", noType),
              RawSession.invoke(13, listId, "add", olderClient),
              RawSession.invoke(
                  14, dictId, "put", Value.newBuilder().setString("k").build(), nested),
              RawSession.create(15, "list", nested),
              RawSession.create(16, "value", queueAsList));
      for (Request request : forged) {
        Reply refused = raw.call(request);
        assertEquals(ErrorCode.UNKNOWN_OBJECT, refused.getError().getCode(), refused.toString());
        String message = refused.getError().getMessage();
        assertTrue(message.contains("'queue'"), message);
        assertTrue(message.contains("Nothing was stored or done"), message);
      }
      Reply named = raw.call(RawSession.invoke(17, listId, "add", queueAsList));
      assertTrue(
          named.getError().getMessage().contains("names a 'list' with id " + queueId),
          named.toString());

      // Nothing was stored or created, and the session goes on.
      assertEquals(0, raw.call(RawSession.invoke(20, listId, "size")).getValue().getInt());
      assertEquals(0, raw.call(RawSession.invoke(21, dictId, "size")).getValue().getInt());
      assertEquals(objectsBefore, objectCount(raw, 22));
      // The reference with the queue's own type is taken.
      Reply stored =
          raw.call(RawSession.invoke(23, listId, "add", ref(queueId, "queue", instance)));
      assertTrue(!stored.hasError(), stored.toString());
      Reply copy = raw.call(RawSession.invoke(24, listId, "copy"));
      assertEquals(queueId, copy.getValue().getList().getItems(0).getRef().getObjectId());
      assertEquals("queue", copy.getValue().getList().getItems(0).getRef().getTypeId());
      raw.close();
    } finally {
      channel.shutdownNow();
    }
  }

  private static Value ref(long objectId, String typeId, long instance) {
    return Value.newBuilder()
        .setRef(
            ObjectRef.newBuilder()
                .setObjectId(objectId)
                .setTypeId(typeId)
                .setManagerInstanceId(instance))
        .build();
  }

  private static long objectCount(RawSession raw, long callId) {
    Reply stats =
        raw.call(
            Request.newBuilder()
                .setCallId(callId)
                .setStats(StatsRequest.getDefaultInstance())
                .build());
    return stats.getStats().getObjectCount();
  }

  /** The two channels of the raw test, closed together. */
  private static final class Channels implements AutoCloseable {
    final io.grpc.ManagedChannel first;
    final io.grpc.ManagedChannel second;

    Channels(String one, String two) {
      this.first = RawSession.channel(one);
      this.second = RawSession.channel(two);
    }

    @Override
    public void close() {
      first.shutdownNow();
      second.shutdownNow();
    }
  }

  private static Request attach(long callId, long objectId, String typeId, long instance) {
    return Request.newBuilder()
        .setCallId(callId)
        .setAttach(
            Attach.newBuilder()
                .setObjectId(objectId)
                .setTypeId(typeId)
                .setManagerInstanceId(instance))
        .build();
  }

  // The replacing tests stop a manager and start another on its port mid-test: their own lifecycle.
  private static ManagerServer server(int port) throws IOException {
    return ManagerServer.builder().authkey(KEY).tcp("127.0.0.1", port).build().start();
  }

  private static byte[] serialize(Object proxy) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(proxy);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }
}
