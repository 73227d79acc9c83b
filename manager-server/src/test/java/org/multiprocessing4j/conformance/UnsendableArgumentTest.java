package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.ValueCodec;

/**
 * A query with an object the connection cannot send is the collections' "incompatible type" ({@link
 * ClassCastException}, nothing sent); a value the client cannot decode stays a {@link
 * ManagerException}. (Guava's contract suites check the first; the second needs two clients.)
 */
abstract class UnsendableArgumentTest extends SyncConformanceBase {

  /** A user type that only clients with {@link #CODEC} can send or read. */
  record Point(int x, int y) {}

  static final ValueCodec<Point> CODEC =
      new ValueCodec<>() {
        @Override
        public String name() {
          return "test.Point/v1";
        }

        @Override
        public Class<Point> type() {
          return Point.class;
        }

        @Override
        public byte[] encode(Point p) {
          return ByteBuffer.allocate(8).putInt(p.x()).putInt(p.y()).array();
        }

        @Override
        public Point decode(byte[] bytes) {
          ByteBuffer b = ByteBuffer.wrap(bytes);
          return new Point(b.getInt(), b.getInt());
        }
      };

  @Test
  void listQueriesWithAnUnsendableObject_areIncompatibleTypes() {
    SharedList<Object> list = m.list(List.of("a", "b"));
    long served = m.stats().callsServed();
    Point p = new Point(1, 2);
    ClassCastException e = assertThrows(ClassCastException.class, () -> list.contains(p));
    assertInstanceOf(ManagerException.class, e.getCause());
    assertThrows(ClassCastException.class, () -> list.indexOf(p));
    assertThrows(ClassCastException.class, () -> list.lastIndexOf(p));
    assertThrows(ClassCastException.class, () -> list.remove(p));
    assertThrows(ClassCastException.class, () -> list.containsAll(List.of("a", p)));
    assertThrows(ClassCastException.class, () -> list.removeAll(List.of("a", p)));
    assertThrows(ClassCastException.class, () -> list.retainAll(List.of("a", p)));
    // Nothing reached the manager but the stats call; adding stays a ManagerException.
    assertEquals(served + 1, m.stats().callsServed());
    ManagerException add = assertThrows(ManagerException.class, () -> list.add(p));
    assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, add.code());
    assertEquals(List.of("a", "b"), list);
  }

  @Test
  void mapQueriesWithAnUnsendableObject_areIncompatibleTypes() {
    SharedMap<Object, Object> map = m.dict();
    map.put("k", "v");
    Point p = new Point(1, 2);
    assertThrows(ClassCastException.class, () -> map.get(p));
    assertThrows(ClassCastException.class, () -> map.getOrDefault(p, "d"));
    assertThrows(ClassCastException.class, () -> map.containsKey(p));
    assertThrows(ClassCastException.class, () -> map.containsValue(p));
    assertThrows(ClassCastException.class, () -> map.remove(p));
    assertThrows(ClassCastException.class, () -> map.remove("k", p));
    assertEquals(1, map.size());
  }

  @Test
  void queueQueriesWithAnUnsendableObject_areIncompatibleTypes() throws InterruptedException {
    for (SharedQueue<Object> queue : List.<SharedQueue<Object>>of(m.queue(), m.joinableQueue())) {
      queue.put("a");
      Point p = new Point(1, 2);
      ClassCastException e = assertThrows(ClassCastException.class, () -> queue.contains(p));
      assertInstanceOf(ManagerException.class, e.getCause());
      assertThrows(ClassCastException.class, () -> queue.remove(p));
      assertThrows(ClassCastException.class, () -> queue.containsAll(List.of("a", p)));
      assertThrows(ClassCastException.class, () -> queue.removeAll(List.of("a", p)));
      assertThrows(ClassCastException.class, () -> queue.retainAll(List.of("a", p)));
      assertEquals(List.of("a"), new ArrayList<>(queue));
    }
  }

  @Test
  void aValueThisClientCannotDecode_staysAManagerException() {
    Manager withCodec =
        Manager.builder().authkey(hosted.authkey()).codec(CODEC).connect(hosted.target());
    try {
      SharedMap<Object, Object> map = m.dict();
      SharedMap<Object, Object> theirs = via(withCodec, map);
      theirs.put("p", new Point(1, 2));
      theirs.put("q", new Point(3, 4));
      ManagerException get = assertThrows(ManagerException.class, () -> map.get("p"));
      assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, get.code());
      // The removal happened; only its answer could not be read here.
      ManagerException remove = assertThrows(ManagerException.class, () -> map.remove("q"));
      assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, remove.code());
      assertFalse(map.containsKey("q"));
      assertEquals(new Point(1, 2), theirs.get("p"));
    } finally {
      withCodec.close();
    }
  }
}
