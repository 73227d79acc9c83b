package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.AsyncSharedList;
import org.multiprocessing4j.AsyncSharedMap;
import org.multiprocessing4j.AsyncSharedValue;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerStats;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.internal.client.ClientInternals;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/** The pipelined views ({@code async()}) over a real socket: order, costs, failures, callbacks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager(value = ManagerTier.TCP, authkey = "async-key")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncProxyTest {
  private static final byte[] KEY = "async-key".getBytes(StandardCharsets.UTF_8);
  private Manager m;

  @BeforeAll
  void start(Manager manager) {
    m = manager;
  }

  @Test
  void callsFromOneThreadRunInIssueOrderAndCostOneRoundTripEach() throws Exception {
    SharedList<Integer> list = m.list();
    AsyncSharedList<Integer> async = list.async();
    long before = m.stats().roundTrips();
    List<CompletableFuture<Boolean>> adds = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      adds.add(async.add(i));
    }
    CompletableFuture.allOf(adds.toArray(new CompletableFuture<?>[0])).get();
    assertEquals(1000, m.stats().roundTrips() - before);
    assertEquals(IntStream.range(0, 1000).boxed().collect(Collectors.toList()), list.copy());
    assertEquals(1000, async.size().get());
    assertEquals(999, async.remove(999).get());
    assertEquals(7, async.set(0, 7).thenCompose(old -> async.get(0)).get());
  }

  @Test
  void aDependentStageMayMakeBlockingCalls() throws Exception {
    SharedList<String> list = m.list(List.of("a", "b"));
    // Completed off the transport thread, so a blocking call inside the stage gets its reply.
    String second = list.async().size().thenApply(n -> list.get(n - 1)).get(10, TimeUnit.SECONDS);
    assertEquals("b", second);
  }

  @Test
  void aRemoteFailureCompletesTheFutureWithTheBlockingMethodsException() {
    SharedList<Integer> list = m.list(List.of(1));
    ExecutionException e = assertThrows(ExecutionException.class, () -> list.async().get(5).get());
    assertInstanceOf(IndexOutOfBoundsException.class, e.getCause());
    // The list is untouched and the connection still works.
    assertEquals(List.of(1), list.copy());
  }

  @Test
  void anUnsupportedArgumentFailsTheFutureAndSendsNothing() {
    SharedList<Object> list = m.list();
    long before = m.stats().roundTrips();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> list.async().add(new Object()).get());
    ManagerException cause = assertInstanceOf(ManagerException.class, e.getCause());
    assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, cause.code());
    assertEquals(before, m.stats().roundTrips());
    assertTrue(list.isEmpty());
  }

  @Test
  void mapAndValueViews() throws Exception {
    SharedMap<String, Integer> map = m.dict();
    AsyncSharedMap<String, Integer> asyncMap = map.async();
    assertEquals(null, asyncMap.put("a", 1).get());
    assertEquals(1, asyncMap.putIfAbsent("a", 2).get());
    asyncMap.putAll(Map.of("b", 2, "c", 3)).get();
    assertEquals(true, asyncMap.containsKey("c").get());
    assertEquals(3, asyncMap.size().get());
    assertEquals(2, asyncMap.remove("b").get());
    assertEquals(Map.of("a", 1, "c", 3), map.copy());

    SharedValue<Integer> value = m.value(0);
    AsyncSharedValue<Integer> asyncValue = value.async();
    List<CompletableFuture<Integer>> increments = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      increments.add(asyncValue.addAndGet(1));
    }
    // Issue order is execution order: the i-th increment saw i earlier ones.
    for (int i = 0; i < 500; i++) {
      assertEquals(i + 1, increments.get(i).get());
    }
    assertEquals(true, asyncValue.compareAndSet(500, 0).get());
    asyncValue.set(42).get();
    assertEquals(42, asyncValue.get().get());
  }

  @Test
  void callsOnAClosedManagerFailFast() {
    Manager other = Manager.connect(m.target(), KEY);
    SharedList<Integer> list = other.list();
    AsyncSharedList<Integer> async = list.async();
    other.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> async.add(1).get());
    assertInstanceOf(ManagerException.class, e.getCause());
  }

  /**
   * While the transport thread is busy, asynchronous calls wait in the session's outbox; it then
   * sends them together. Holding the thread makes that certain instead of likely.
   */
  @Test
  void asynchronousCallsMadeWhileTheTransportIsBusyTravelInOneMessage() throws Exception {
    SharedList<Integer> list = m.list();
    AsyncSharedList<Integer> async = list.async();
    ManagerStats before = m.stats();
    List<CompletableFuture<Boolean>> adds = new ArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> held = holdTransport(release);
    for (int i = 0; i < 1000; i++) {
      adds.add(async.add(i));
    }
    release.countDown();
    held.get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(adds.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
    ManagerStats after = m.stats();
    assertEquals(1000, after.roundTrips() - before.roundTrips());
    assertEquals(1, after.requestMessages() - before.requestMessages());
    assertEquals(IntStream.range(0, 1000).boxed().collect(Collectors.toList()), list.copy());
  }

  /** A blocking call sends what asynchronous calls left in the outbox before its own request. */
  // the adds queue behind the held transport; the blocking call checks their effect
  @SuppressWarnings("FutureReturnValueIgnored")
  @Test
  void aBlockingCallAfterQueuedAsynchronousCallsSeesTheirEffects() throws Exception {
    SharedList<Integer> list = m.list();
    AsyncSharedList<Integer> async = list.async();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> held = holdTransport(release);
    for (int i = 0; i < 100; i++) {
      async.add(i);
    }
    CompletableFuture<Integer> size = new CompletableFuture<>();
    Thread caller = new Thread(() -> size.complete(list.size()), "blocking-caller");
    caller.start();
    // Parked for its reply, so it has sent its request (the outbox is sent first, on this thread).
    while (caller.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    release.countDown();
    held.get(10, TimeUnit.SECONDS);
    assertEquals(100, size.get(10, TimeUnit.SECONDS));
  }

  /**
   * Occupies the client's sending until {@code release}; returns once it is held. grpc-java's
   * client sends pipelined calls on its transport thread, held here; over our own transport the
   * calling threads send, and a thread busy sending is what makes the others' calls pile up.
   */
  private CompletableFuture<Void> holdTransport(CountDownLatch release) throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    CompletableFuture<Void> done = new CompletableFuture<>();
    boolean callerDriven = ClientInternals.callerDriven(m);
    Executor holder =
        callerDriven
            ? task -> new Thread(task, "holding-the-sending").start()
            : ClientInternals.transportExecutor();
    holder.execute(
        () -> {
          if (!callerDriven) {
            holding.countDown();
          }
          try {
            if (callerDriven) {
              ClientInternals.holdSending(m, holding::countDown, release);
            } else {
              release.await();
            }
            done.complete(null);
          } catch (InterruptedException e) {
            done.completeExceptionally(e);
          }
        });
    assertTrue(holding.await(10, TimeUnit.SECONDS), "the sending was never held");
    return done;
  }
}
