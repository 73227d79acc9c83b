package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.GenericProxy;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.RemoteStackTrace;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.testsupport.ServerExtension;

/** Each kind of bad input or misuse gets its documented error, and loses nothing. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ErrorPathTest {
  private static final byte[] KEY = "error-path-key".getBytes(StandardCharsets.UTF_8);

  /** A user type: only {@link Counter}'s methods are exposed. */
  public interface Counter {
    int increment();
  }

  /** What a client may believe the type offers: more than the manager exposes. */
  public interface CounterWithReset {
    int increment();

    void reset();
  }

  static final class CounterImpl implements Counter {
    private int count;

    @Override
    public int increment() {
      return ++count;
    }

    /** Public, but not part of the exposed interface. */
    public void reset() {
      count = 0;
    }
  }

  @RegisterExtension
  static final ServerExtension<ManagerServer> SERVER =
      TestServers.tcp(KEY, b -> b.register("counter", args -> new CounterImpl(), Counter.class));

  @RegisterExtension
  static final ServerExtension<ManagerServer> LIMITED =
      TestServers.tcp(KEY, b -> b.maxObjectsPerSession(3));

  // A manager no other test uses: the others' objects are released as their proxies are
  // collected, which would change its count while this test compares it.
  @RegisterExtension static final ServerExtension<ManagerServer> REFUSING = TestServers.tcp(KEY);

  private static Manager m;

  @BeforeAll
  static void start() {
    m = SERVER.manager();
  }

  @Test
  void wrongAuthkeyIsRefusedAndCreatesNothing() {
    Manager observer = REFUSING.manager();
    long before = observer.stats().objectCount();
    ManagerException e =
        assertThrows(ManagerException.class, () -> Manager.connect(REFUSING.target(), "wrong"));
    assertEquals(ManagerException.Code.AUTHENTICATION_FAILED, e.code());
    assertEquals(before, observer.stats().objectCount());
  }

  @Test
  void referentExceptionsKeepTheirTypeAndRemoteTrace() {
    SharedList<Integer> list = m.list(List.of(1));
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> list.get(5));
    assertInstanceOf(RemoteStackTrace.class, e.getCause());
  }

  @Test
  void userTypeExposesOnlyItsInterface() {
    Counter counter = m.create("counter", Counter.class);
    assertEquals(1, counter.increment());
    assertEquals(2, counter.increment());
    CounterWithReset wider = m.create("counter", CounterWithReset.class);
    ManagerException e = assertThrows(ManagerException.class, wider::reset);
    assertEquals(ManagerException.Code.METHOD_NOT_EXPOSED, e.code());
  }

  @Test
  void unknownTypeIsReported() {
    ManagerException e =
        assertThrows(ManagerException.class, () -> m.create("nope", GenericProxy.class));
    assertEquals(ManagerException.Code.UNKNOWN_TYPE, e.code());
  }

  @Test
  void unsupportedValueFailsBeforeAnythingIsSent() {
    SharedList<Object> list = m.list();
    long served = m.stats().callsServed();
    ManagerException e = assertThrows(ManagerException.class, () -> list.add(new Object()));
    assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, e.code());
    // Only the stats call itself reached the manager.
    assertEquals(served + 1, m.stats().callsServed());
    assertEquals(0, list.size());
  }

  @Test
  void unknownObjectAfterEveryProxyIsGone() throws Exception {
    byte[] reference;
    // A serialized proxy normally keeps its original alive for a while; here it must not.
    System.setProperty("mp4j.serializedProxyGraceSeconds", "0");
    try {
      SharedList<Integer> doomed = m.list(List.of(7));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(doomed);
      }
      reference = bytes.toByteArray();
    } finally {
      System.clearProperty("mp4j.serializedProxyGraceSeconds");
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    ManagerException failure = null;
    while (failure == null && System.nanoTime() < deadline) {
      System.gc();
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(reference))) {
        Object revived = in.readObject();
        var unused = revived.hashCode(); // still alive: drop it and try again
        Thread.sleep(50);
      } catch (ManagerException e) {
        failure = e;
      }
    }
    assertEquals(ManagerException.Code.UNKNOWN_OBJECT, failure == null ? null : failure.code());
  }

  @Test
  void oversizedMessageIsRefusedAndTheSessionSurvives() {
    try (Manager small =
        Manager.builder().authkey(KEY).maxMessageBytes(4096).connect(SERVER.target())) {
      SharedList<String> list = small.list();
      ManagerException e = assertThrows(ManagerException.class, () -> list.add("x".repeat(10_000)));
      assertEquals(ManagerException.Code.MESSAGE_TOO_LARGE, e.code());
      list.add("fits");
      assertEquals(List.of("fits"), list.copy());
    }
  }

  @Test
  void callsAfterCloseGiveManagerShutDown() {
    Manager closing = Manager.connect(SERVER.target(), KEY);
    SharedList<Integer> list = closing.list();
    closing.close();
    ManagerException e = assertThrows(ManagerException.class, list::size);
    assertEquals(ManagerException.Code.MANAGER_SHUT_DOWN, e.code());
  }

  @Test
  void aClientOverItsObjectLimitGetsAClearErrorAndOthersAreUnaffected() throws Exception {
    try (Manager greedy = Manager.connect(LIMITED.target(), KEY);
        Manager other = Manager.connect(LIMITED.target(), KEY)) {
      List<SharedList<Integer>> held = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(greedy.list(List.of(i)));
      }
      ManagerException e = assertThrows(ManagerException.class, () -> greedy.list());
      assertEquals(ManagerException.Code.LIMIT_EXCEEDED, e.code());
      assertTrue(e.getMessage().contains("maxObjectsPerSession"), e.getMessage());
      // Nothing was created, what it holds is intact, and another client is not affected.
      assertEquals(3, greedy.stats().objectCount());
      assertEquals(List.of(2), held.get(2).copy());
      SharedList<String> fine = other.list(List.of("ok"));
      assertEquals(List.of("ok"), fine.copy());
    }
  }

  @Test
  void aBuiltInTypeCannotBeGivenAnotherInterface() {
    ClassCastException e =
        assertThrows(ClassCastException.class, () -> m.create("list", Counter.class));
    assertTrue(e.getMessage().contains("SharedList"), e.getMessage());
    // Lists made afterwards are still lists.
    SharedList<Integer> list = m.list(List.of(1));
    assertEquals(List.of(1), list.copy());
  }
}
