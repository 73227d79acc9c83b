package org.multiprocessing4j.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedBarrier;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.SharedPipe;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.spi.TypeIds;

/**
 * What a proxy is besides its calls: its identity (equal to every proxy of the same referent on the
 * same manager, with no round trip), its {@code toString} (the manager's rendering), its serialized
 * form (a reference, resolved where it is read), and how failures reported by the invoker surface
 * (as the JDK type the interface promises).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class ProxyIdentityTest {
  private static final List<Object[]> RESOLVED = new ArrayList<>();
  private static String savedGrace;

  private final FakeInvoker invoker = new FakeInvoker("fake:1");

  @BeforeAll
  static void installResolver() {
    // No keep-alive thread holding serialized proxies: this test checks the form, not the grace.
    savedGrace = System.setProperty(ProxyHandle.SERIALIZED_GRACE_PROPERTY, "0");
    Proxies.installResolver(
        (target, managerInstanceId, objectId, typeId) -> {
          synchronized (RESOLVED) {
            RESOLVED.add(new Object[] {target, objectId, typeId});
          }
          return Proxies.forReference(new FakeInvoker(target), objectId, typeId);
        });
  }

  @AfterAll
  static void restoreGrace() {
    if (savedGrace == null) {
      System.clearProperty(ProxyHandle.SERIALIZED_GRACE_PROPERTY);
    } else {
      System.setProperty(ProxyHandle.SERIALIZED_GRACE_PROPERTY, savedGrace);
    }
  }

  private Object proxy(FakeInvoker via, long id, String typeId) {
    return Proxies.forReference(via, id, typeId);
  }

  @Test
  void equality_isTheReferentOnItsManager_withoutARoundTrip() {
    FakeInvoker otherManager = new FakeInvoker("fake:2");
    FakeInvoker sameManager = new FakeInvoker("fake:1");
    invoker.answer(c -> List.of()); // EqualsTester prints the queues it compares
    new EqualsTester()
        .addEqualityGroup(
            proxy(invoker, 1, TypeIds.LOCK),
            proxy(invoker, 1, TypeIds.LOCK),
            proxy(sameManager, 1, TypeIds.LOCK))
        .addEqualityGroup(proxy(invoker, 2, TypeIds.LOCK))
        .addEqualityGroup(proxy(otherManager, 1, TypeIds.LOCK))
        .addEqualityGroup(proxy(invoker, 3, TypeIds.QUEUE), proxy(invoker, 3, TypeIds.QUEUE))
        .testEquals();
    invoker.clear();
    Object lock = proxy(invoker, 1, TypeIds.LOCK);
    assertEquals(lock, proxy(sameManager, 1, TypeIds.LOCK));
    assertEquals(lock.hashCode(), proxy(sameManager, 1, TypeIds.LOCK).hashCode());
    assertEquals(List.of(), invoker.calls(), "equals and hashCode ask the manager nothing");
  }

  /** A manager replaced at the same address numbers its objects from 1 again: other referents. */
  @Test
  void equality_isTheManagerInstance_notOnlyItsAddress() {
    FakeInvoker first = new FakeInvoker("fake:1", 11);
    FakeInvoker firstAgain = new FakeInvoker("fake:1", 11);
    FakeInvoker replaced = new FakeInvoker("fake:1", 12);
    Proxies.registerInterface("identity-test-counter", Runnable.class);
    new EqualsTester()
        .addEqualityGroup(proxy(first, 1, TypeIds.LOCK), proxy(firstAgain, 1, TypeIds.LOCK))
        .addEqualityGroup(proxy(replaced, 1, TypeIds.LOCK))
        .addEqualityGroup(
            proxy(first, 2, "identity-test-counter"), proxy(firstAgain, 2, "identity-test-counter"))
        .addEqualityGroup(proxy(replaced, 2, "identity-test-counter"))
        .testEquals();
    first.clear(); // EqualsTester's messages called toString
    Object lock = proxy(first, 1, TypeIds.LOCK);
    assertEquals(lock.hashCode(), proxy(firstAgain, 1, TypeIds.LOCK).hashCode());
    assertTrue(!lock.equals(proxy(replaced, 1, TypeIds.LOCK)));
    assertEquals(11, Proxies.managerInstanceId(proxy(first, 3, TypeIds.LIST)));
    assertEquals(12, Proxies.managerInstanceId(proxy(replaced, 3, TypeIds.DICT)));
    assertEquals(12, Proxies.managerInstanceId(proxy(replaced, 2, "identity-test-counter")));
    assertEquals(0, Proxies.managerInstanceId("not a proxy"));
    assertEquals(List.of(), first.calls(), "equals and hashCode ask the manager nothing");
  }

  /**
   * One manager instance reached under two addresses ("localhost:port" and "127.0.0.1:port") is one
   * manager; where the instance is unknown, only the address can tell, and such a proxy never
   * equals one whose instance is known (which would make equality intransitive).
   */
  @Test
  void equality_ofAKnownInstance_isWhateverTheAddress() {
    FakeInvoker byName = new FakeInvoker("localhost:5000", 21);
    FakeInvoker byNumber = new FakeInvoker("127.0.0.1:5000", 21);
    FakeInvoker unknownByName = new FakeInvoker("localhost:5000");
    FakeInvoker unknownByNameAgain = new FakeInvoker("localhost:5000");
    FakeInvoker unknownByNumber = new FakeInvoker("127.0.0.1:5000");
    Proxies.registerInterface("identity-test-address", Runnable.class);
    new EqualsTester()
        .addEqualityGroup(proxy(byName, 1, TypeIds.LOCK), proxy(byNumber, 1, TypeIds.LOCK))
        .addEqualityGroup(proxy(byName, 2, TypeIds.LOCK), proxy(byNumber, 2, TypeIds.LOCK))
        .addEqualityGroup(
            proxy(byName, 3, "identity-test-address"), proxy(byNumber, 3, "identity-test-address"))
        .addEqualityGroup(
            proxy(unknownByName, 1, TypeIds.LOCK), proxy(unknownByNameAgain, 1, TypeIds.LOCK))
        .addEqualityGroup(proxy(unknownByNumber, 1, TypeIds.LOCK))
        .testEquals();
    byName.clear(); // EqualsTester's messages called toString
    byNumber.clear();
    Object lock = proxy(byName, 1, TypeIds.LOCK);
    Object same = proxy(byNumber, 1, TypeIds.LOCK);
    assertTrue(lock.equals(same) && same.equals(lock));
    assertEquals(lock.hashCode(), same.hashCode());
    assertTrue(!same.equals(proxy(unknownByNumber, 1, TypeIds.LOCK)));
    assertEquals(List.of(), byName.calls(), "equals and hashCode ask the manager nothing");
    assertEquals(List.of(), byNumber.calls(), "equals and hashCode ask the manager nothing");
  }

  @Test
  void collectionProxies_areEqualAsTheirCollections() {
    invoker.answer(c -> c.method().equals("size") ? 2 : List.of(1, 2));
    Object list = proxy(invoker, 1, TypeIds.LIST);
    assertEquals(List.of(1, 2), list);
    assertEquals(list, List.of(1, 2));
    assertEquals(List.of(1, 2).hashCode(), list.hashCode());
    invoker.answer(c -> c.method().equals("size") || c.method().equals("get") ? 1 : Map.of("a", 1));
    assertEquals(Map.of("a", 1), proxy(invoker, 2, TypeIds.DICT));
  }

  @Test
  void toString_isOneRoundTrip_forEveryBuiltInType() {
    // Collections, values and namespaces render on the client from one copy (as the JDK's classes
    // render, each element as this client decodes it); other types show the manager's rendering.
    Map<String, Object> copies =
        Map.of(
            TypeIds.LIST, List.of(1, 2),
            TypeIds.QUEUE, List.of(1, 2),
            TypeIds.JOINABLE_QUEUE, List.of(1, 2),
            TypeIds.DICT, Map.of("k", 1),
            TypeIds.VALUE, 7,
            TypeIds.NAMESPACE, Map.of("b", "x", "a", 1));
    Map<String, String> expected =
        Map.of(
            TypeIds.LIST, "[1, 2]",
            TypeIds.QUEUE, "[1, 2]",
            TypeIds.JOINABLE_QUEUE, "[1, 2]",
            TypeIds.DICT, "{k=1}",
            TypeIds.VALUE, "Value(7)",
            TypeIds.NAMESPACE, "Namespace(a=1, b='x')");
    long id = 1;
    for (String typeId : org.multiprocessing4j.internal.wire.methods.BuiltInTypes.typeIds()) {
      invoker.answer(
          c ->
              c.method().equals("toString")
                  ? "<rendered " + c.objectId() + ">"
                  : copies.get(typeId));
      invoker.clear();
      String text = proxy(invoker, id, typeId).toString();
      assertEquals(expected.getOrDefault(typeId, "<rendered " + id + ">"), text, typeId);
      assertEquals(1, invoker.methods().size(), typeId + ": " + invoker.methods());
      assertEquals(
          copies.containsKey(typeId), !invoker.methods().equals(List.of("toString")), typeId);
      id++;
    }
  }

  @Test
  void serializedProxy_isAReference_resolvedWhereItIsRead() throws Exception {
    Object queue = proxy(invoker, 42, TypeIds.QUEUE);
    Object copy = roundTrip(queue);
    synchronized (RESOLVED) {
      Object[] last = RESOLVED.get(RESOLVED.size() - 1);
      assertEquals(List.of("fake:1", 42L, TypeIds.QUEUE), List.of(last));
    }
    assertTrue(copy instanceof SharedQueue, () -> copy.getClass().getName());
    assertEquals(queue, copy, "a proxy of the same referent");
    SharedObject list = (SharedObject) roundTrip(proxy(invoker, 43, TypeIds.LIST));
    assertEquals(List.of(43L, TypeIds.LIST), List.of(list.objectId(), list.typeId()));
    assertEquals(List.of(), invoker.calls(), "serializing asks the manager nothing");
  }

  @Test
  void pipe_travelsAsItsTwoEnds() throws Exception {
    invoker.answer(c -> proxy(invoker, 9, TypeIds.PIPE));
    SharedPipe pipe = Proxies.pipeFromFirstEnd(proxy(invoker, 8, TypeIds.PIPE));
    assertEquals(List.of("takePeer"), invoker.methods());
    assertEquals(9, pipe.second().objectId());
    SharedPipe copy = (SharedPipe) roundTrip(pipe);
    assertEquals(List.of(pipe.first(), pipe.second()), List.of(copy.first(), copy.second()));
  }

  private static Object roundTrip(Object value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  @Test
  void unsendableQueryArgument_isAnIncompatibleType() {
    ManagerException unsupported =
        new ManagerException(ManagerException.Code.UNSUPPORTED_VALUE, "cannot send Thread");
    invoker.answer(
        c -> {
          throw unsupported;
        });
    SharedList<?> list = (SharedList<?>) proxy(invoker, 1, TypeIds.LIST);
    ClassCastException incompatible =
        assertThrows(ClassCastException.class, () -> list.contains(new Object()));
    assertSame(unsupported, incompatible.getCause());
    SharedMap<?, ?> map = (SharedMap<?, ?>) proxy(invoker, 2, TypeIds.DICT);
    assertThrows(ClassCastException.class, () -> map.containsKey(new Object()));
    // Not a query: the failure is the manager's, as it came.
    assertSame(unsupported, assertThrows(ManagerException.class, () -> list.get(0)));
  }

  @Test
  void otherManagerFailures_passThroughQueries() {
    ManagerException gone = new ManagerException(ManagerException.Code.UNKNOWN_OBJECT, "freed");
    invoker.answer(
        c -> {
          throw gone;
        });
    SharedList<?> list = (SharedList<?>) proxy(invoker, 1, TypeIds.LIST);
    assertSame(gone, assertThrows(ManagerException.class, () -> list.contains("x")));
  }

  @Test
  void checkedRemoteFailures_surfaceAsTheDeclaredJdkTypes() {
    SharedBarrier barrier = (SharedBarrier) proxy(invoker, 1, TypeIds.BARRIER);
    invoker.answer(
        c -> {
          if (c.method().equals("config")) {
            return List.of(2, -1L);
          }
          throw new RemoteCheckedException(new BrokenBarrierException("broken"));
        });
    assertEquals("broken", assertThrows(BrokenBarrierException.class, barrier::await).getMessage());
    invoker.answer(
        c -> {
          throw new RemoteCheckedException(new TimeoutException("late"));
        });
    assertThrows(TimeoutException.class, () -> barrier.await(java.time.Duration.ofMillis(1)));

    SharedConnection end = (SharedConnection) proxy(invoker, 2, TypeIds.PIPE);
    invoker.answer(
        c -> {
          throw new RemoteCheckedException(new EOFException("closed"));
        });
    assertEquals("closed", assertThrows(EOFException.class, end::recv).getMessage());
  }

  @Test
  void runtimeFailures_surfaceUnchanged() {
    IllegalMonitorStateException notHeld = new IllegalMonitorStateException("not held");
    invoker.answer(
        c -> {
          throw notHeld;
        });
    SharedLock lock = (SharedLock) proxy(invoker, 1, TypeIds.RLOCK);
    assertSame(notHeld, assertThrows(IllegalMonitorStateException.class, lock::unlock));
  }
}
