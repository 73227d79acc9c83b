package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedJoinableQueue;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedNamespace;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.conformance.UnsendableArgumentTest.Point;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * {@code toString} of the collection proxies is {@code AbstractCollection}'s / {@code
 * AbstractMap}'s: the elements as this client decodes them (a user-codec value by its own {@code
 * toString}), the proxy itself as {@code (this Collection)} / {@code (this Map)}, a nested proxy by
 * its own rendering; a shared value as {@code Value(x)} with x as this client decodes it.
 */
@WithManager(ManagerTier.TCP)
class CollectionToStringTest extends SyncConformanceBase {

  @Test
  void queue_rendersItsElementsHeadFirst() throws InterruptedException {
    SharedQueue<Integer> q = m.queue();
    assertEquals("[]", q.toString());
    q.put(1);
    q.put(2);
    assertEquals("[1, 2]", q.toString());
    assertEquals(new ArrayList<>(q).toString(), q.toString());
  }

  @Test
  void joinableQueue_rendersItsElementsHeadFirst() throws InterruptedException {
    SharedJoinableQueue<String> q = m.joinableQueue();
    assertEquals("[]", q.toString());
    q.put("a");
    q.put("b");
    assertEquals("[a, b]", q.toString());
  }

  @Test
  void userCodecValues_renderAsTheClientDecodesThem() throws InterruptedException {
    try (Manager withCodec =
        Manager.builder()
            .authkey(hosted.authkey())
            .codec(UnsendableArgumentTest.CODEC)
            .connect(hosted.target())) {
      SharedList<Object> list = withCodec.list();
      list.add(new Point(1, 2));
      list.add("s");
      assertEquals("[Point[x=1, y=2], s]", list.toString());
      assertEquals(new ArrayList<>(list).toString(), list.toString());

      SharedMap<Object, Object> map = withCodec.dict();
      map.put("p", new Point(3, 4));
      assertEquals("{p=Point[x=3, y=4]}", map.toString());
      assertEquals(new LinkedHashMap<>(map).toString(), map.toString());

      SharedQueue<Object> queue = withCodec.queue();
      queue.put(new Point(5, 6));
      assertEquals("[Point[x=5, y=6]]", queue.toString());

      SharedValue<Object> value = withCodec.value(new Point(7, 8));
      assertEquals("Value(Point[x=7, y=8])", value.toString());
      assertEquals("Value(<test.Point/v1 value, 8 bytes>)", via(m, value).toString());
    }
  }

  @Test
  void namespace_rendersItsValuesAsTheClientDecodesThem() {
    try (Manager withCodec =
        Manager.builder()
            .authkey(hosted.authkey())
            .codec(UnsendableArgumentTest.CODEC)
            .connect(hosted.target())) {
      SharedNamespace ns = withCodec.namespace();
      ns.set("p", new Point(1, 2));
      ns.set("name", "Bob");
      assertEquals("Namespace(name='Bob', p=Point[x=1, y=2])", ns.toString());
      // A client without the codec: the manager's rendering of the value it cannot decode.
      assertEquals(
          "Namespace(name='Bob', p=<test.Point/v1 value, 8 bytes>)", via(m, ns).toString());
      // A nested proxy by its own rendering; the namespace itself as a JDK collection shows itself.
      ns.set("list", withCodec.list(List.of("a")));
      ns.set("self", ns);
      assertEquals(
          "Namespace(list=[a], name='Bob', p=Point[x=1, y=2], self=(this Namespace))",
          ns.toString());
    }
  }

  @Test
  void aValueThisClientCannotDecode_fallsBackToTheManagersRendering() {
    try (Manager withCodec =
        Manager.builder()
            .authkey(hosted.authkey())
            .codec(UnsendableArgumentTest.CODEC)
            .connect(hosted.target())) {
      SharedList<Object> list = m.list();
      via(withCodec, list).add(new Point(1, 2));
      // toString must not throw; the value is shown as the manager knows it.
      assertEquals("[<test.Point/v1 value, 8 bytes>]", list.toString());
    }
  }

  @Test
  void aCollectionHoldingItself_rendersAsTheJdkDoes() {
    SharedList<Object> list = m.list();
    list.add(1);
    list.add(list);
    List<Object> jdk = new ArrayList<>();
    jdk.add(1);
    jdk.add(jdk);
    assertEquals(jdk.toString(), list.toString());

    SharedMap<Object, Object> map = m.dict();
    map.put("me", map);
    Map<Object, Object> jdkMap = new LinkedHashMap<>();
    jdkMap.put("me", jdkMap);
    assertEquals(jdkMap.toString(), map.toString());
  }

  @Test
  void nestedProxies_renderTheirOwnElements() throws InterruptedException {
    SharedList<Object> inner = m.list(List.of("a", "b"));
    SharedMap<Object, Object> map = m.dict();
    map.put("k", 1);
    SharedList<Object> outer = m.list();
    outer.add(inner);
    outer.add(map);
    assertEquals("[[a, b], {k=1}]", outer.toString());
    SharedQueue<Object> q = m.queue();
    q.put(inner);
    assertEquals("[[a, b]]", q.toString());
  }
}
