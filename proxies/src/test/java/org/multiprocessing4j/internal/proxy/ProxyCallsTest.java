package org.multiprocessing4j.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.SharedBarrier;
import org.multiprocessing4j.SharedCondition;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.SharedJoinableQueue;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.SharedSemaphore;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.internal.proxy.FakeInvoker.Call;
import org.multiprocessing4j.internal.proxy.FakeInvoker.Kind;
import org.multiprocessing4j.spi.TypeIds;

/**
 * What the proxies send for each operation: the wire name, the arguments as encoded, the kind of
 * call (plain, parked with a timeout, asynchronous), and what is refused before anything is sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class ProxyCallsTest {
  private static final long ID = 7;
  private final FakeInvoker invoker = new FakeInvoker();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private static Call call(String method, Object... args) {
    return new Call(Kind.CALL, ID, method, List.of(args), 0);
  }

  private static Call blocking(String method, long timeoutNanos, Object... args) {
    return new Call(Kind.BLOCKING, ID, method, List.of(args), timeoutNanos);
  }

  // each test names the proxy interface it expects
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private <T> T proxy(String typeId) {
    return (T) Proxies.forReference(invoker, ID, typeId);
  }

  @Test
  void list_indexedOperations_haveTheirOwnWireNames() {
    SharedList<String> list = proxy(TypeIds.LIST);
    invoker.answer(c -> c.method().equals("size") ? 3 : "old");
    list.add(1, "a");
    list.remove(2);
    list.set(0, "b");
    list.get(0);
    assertEquals(
        List.of(call("insert", 1, "a"), call("removeAt", 2), call("set", 0, "b"), call("get", 0)),
        invoker.calls());
  }

  @Test
  void list_bulkArguments_areSentAsCopies() {
    SharedList<String> list = proxy(TypeIds.LIST);
    invoker.answer(c -> true);
    List<String> mine = new ArrayList<>(List.of("a", "b"));
    list.addAll(mine);
    Object sent = invoker.lastCall().args().get(0);
    assertEquals(List.of("a", "b"), sent);
    assertNotSame(mine, sent);
    list.addAll(1, List.of("c"));
    assertEquals(call("addAllAt", 1, List.of("c")), invoker.lastCall());
  }

  @Test
  void list_sort_isOneCallInNaturalOrder_elseCopyAndReplace() {
    SharedList<String> list = proxy(TypeIds.LIST);
    invoker.answer(c -> c.method().equals("copy") ? new ArrayList<>(List.of("a", "c", "b")) : null);
    list.sort(null);
    assertEquals(List.of(call("sort")), invoker.calls());
    invoker.clear();
    list.sort(Comparator.reverseOrder());
    assertEquals(
        List.of(call("copy"), call("replaceContents", List.of("c", "b", "a"))), invoker.calls());
  }

  @Test
  void list_iterator_fetchesChunksByRange() {
    SharedList<Integer> list = proxy(TypeIds.LIST);
    invoker.answer(c -> List.of(1, 2));
    Iterator<Integer> iterator = list.iterator();
    assertEquals(List.of(), invoker.calls(), "nothing fetched before hasNext");
    assertEquals(List.of(1, 2), List.of(iterator.next(), iterator.next()));
    assertFalse(iterator.hasNext(), "a short chunk is the end");
    assertEquals(List.of(call("range", 0, SharedList.ITERATION_CHUNK)), invoker.calls());
  }

  @Test
  void map_nullsAreRefusedBeforeAnythingIsSent() {
    SharedMap<String, String> map = proxy(TypeIds.DICT);
    assertThrows(NullPointerException.class, () -> map.put(null, "v"));
    assertThrows(NullPointerException.class, () -> map.put("k", null));
    assertThrows(NullPointerException.class, () -> map.containsKey(null));
    assertFalse(map.remove("k", null), "no null value can be mapped");
    assertEquals(List.of(), invoker.calls());
  }

  @Test
  void map_conditionalOperations_haveTheirOwnWireNames() {
    SharedMap<String, String> map = proxy(TypeIds.DICT);
    invoker.answer(c -> true);
    map.remove("k", "v");
    map.replace("k", "v", "w");
    Map<String, String> entries = new LinkedHashMap<>(Map.of("a", "1"));
    map.putAll(entries);
    assertEquals(
        List.of(
            call("removeIfEquals", "k", "v"),
            call("replaceIfEquals", "k", "v", "w"),
            call("putAll", Map.of("a", "1"))),
        invoker.calls());
    assertNotSame(entries, invoker.lastCall().args().get(0));
  }

  @Test
  void map_async_sendsWithoutWaiting() {
    SharedMap<String, Integer> map = proxy(TypeIds.DICT);
    invoker.answer(c -> 1);
    assertEquals(1, map.async().put("k", 2).join());
    assertEquals(new Call(Kind.ASYNC, ID, "put", List.of("k", 2), 0), invoker.lastCall());
  }

  @Test
  void queue_blockingOperations_areParkedCallsWithTheirTimeouts() throws Exception {
    SharedQueue<String> queue = proxy(TypeIds.QUEUE);
    invoker.answer(c -> c.method().equals("put") ? true : "item");
    queue.put("a");
    queue.take();
    queue.poll(2, TimeUnit.SECONDS);
    queue.offer("b", -5, TimeUnit.SECONDS);
    assertEquals(
        List.of(
            blocking("put", Blocking.FOREVER, "a"),
            blocking("get", Blocking.FOREVER),
            blocking("get", TimeUnit.SECONDS.toNanos(2)),
            blocking("put", 0, "b")),
        invoker.calls());
  }

  @Test
  void queue_nullsAndInterruptsAreRefusedBeforeAnythingIsSent() {
    SharedQueue<String> queue = proxy(TypeIds.QUEUE);
    assertThrows(NullPointerException.class, () -> queue.offer(null));
    assertThrows(NullPointerException.class, () -> queue.put(null));
    assertThrows(NullPointerException.class, () -> queue.addAll(Arrays.asList("a", null)));
    assertFalse(queue.contains(null));
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, queue::take);
    assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed, as the JDK's");
    assertEquals(List.of(), invoker.calls());
  }

  @Test
  void queue_drainTo_sendsTheBoundOrMinusOne() {
    SharedQueue<String> queue = proxy(TypeIds.QUEUE);
    invoker.answer(c -> List.of("a"));
    List<String> sink = new ArrayList<>();
    assertEquals(1, queue.drainTo(sink));
    assertEquals(1, queue.drainTo(sink, 5));
    assertEquals(0, queue.drainTo(sink, 0));
    assertEquals(List.of(call("drain", -1), call("drain", 5)), invoker.calls());
    assertEquals(List.of("a", "a"), sink);
    assertThrows(IllegalArgumentException.class, () -> queue.drainTo(queue));
  }

  @Test
  void queue_addAll_throwsWhenNotEverythingFit() {
    SharedQueue<String> queue = proxy(TypeIds.QUEUE);
    invoker.answer(c -> 1);
    IllegalStateException full =
        assertThrows(IllegalStateException.class, () -> queue.addAll(List.of("a", "b")));
    assertTrue(full.getMessage().contains("1 of 2"), full.getMessage());
    assertEquals(List.of(call("addAll", List.of("a", "b"))), invoker.calls());
  }

  @Test
  void joinableQueue_join_isParked() throws Exception {
    SharedJoinableQueue<String> queue = proxy(TypeIds.JOINABLE_QUEUE);
    invoker.answer(c -> c.method().equals("unfinishedTasks") ? 3L : true);
    queue.taskDone();
    queue.join();
    assertEquals(3L, queue.unfinishedTasks());
    assertEquals(
        List.of(call("taskDone"), blocking("join", Blocking.FOREVER), call("unfinishedTasks")),
        invoker.calls());
  }

  @Test
  void semaphore_release_checksItsCountBeforeSending() throws Exception {
    SharedSemaphore semaphore = proxy(TypeIds.SEMAPHORE);
    invoker.answer(c -> true);
    assertThrows(IllegalArgumentException.class, () -> semaphore.release(0));
    semaphore.release(3);
    semaphore.acquire();
    assertTrue(semaphore.tryAcquire(-1, TimeUnit.SECONDS));
    assertEquals(
        List.of(call("release", 3), blocking("acquire", Blocking.FOREVER), blocking("acquire", 0)),
        invoker.calls());
  }

  @Test
  void lock_lockIgnoresInterruptsAndKeepsTheStatus() {
    SharedLock lock = proxy(TypeIds.LOCK);
    invoker.answer(c -> true);
    Thread.currentThread().interrupt();
    lock.lock();
    assertTrue(Thread.currentThread().isInterrupted());
    assertThrows(IllegalArgumentException.class, () -> lock.acquire(false, 1, TimeUnit.SECONDS));
    assertEquals(List.of(blocking("acquire", Blocking.FOREVER)), invoker.calls());
  }

  @Test
  void lock_newCondition_createsAConditionBoundToThisLock() {
    SharedLock lock = proxy(TypeIds.RLOCK);
    Object condition = lock.newCondition();
    assertTrue(condition instanceof SharedCondition);
    Call create = invoker.lastCall();
    assertEquals(Kind.CREATE, create.kind());
    assertEquals(TypeIds.CONDITION, create.method());
    assertEquals(List.of(lock), create.args());
  }

  // the test checks what one await sends
  @SuppressWarnings("WaitNotInLoop")
  @Test
  void condition_await_waitsThenReacquires() throws Exception {
    SharedCondition condition = proxy(TypeIds.CONDITION);
    invoker.answer(c -> true);
    assertTrue(condition.await(1, TimeUnit.SECONDS));
    condition.signal(2);
    condition.signalAll();
    assertEquals(
        List.of(
            blocking("await", TimeUnit.SECONDS.toNanos(1)),
            blocking("reacquire", Blocking.FOREVER),
            call("signal", 2),
            call("signalAll")),
        invoker.calls());
    assertThrows(IllegalArgumentException.class, () -> condition.signal(-1));
  }

  @Test
  void condition_interruptedWait_reacquiresBeforeThrowing() {
    SharedCondition condition = proxy(TypeIds.CONDITION);
    invoker.answer(
        c -> {
          if (c.method().equals("await")) {
            throw new InterruptedException();
          }
          return true;
        });
    assertThrows(InterruptedException.class, condition::await);
    assertEquals(List.of("await", "reacquire"), invoker.methods());
  }

  // the test checks what one await sends
  @SuppressWarnings("WaitNotInLoop")
  @Test
  void condition_awaitUninterruptibly_keepsTheInterruptStatus() {
    SharedCondition condition = proxy(TypeIds.CONDITION);
    invoker.answer(c -> true);
    Thread.currentThread().interrupt();
    condition.awaitUninterruptibly();
    assertTrue(Thread.currentThread().isInterrupted());
    assertEquals(List.of("await", "reacquire"), invoker.methods());
  }

  @Test
  void barrier_await_sendsWhetherTheTimeoutIsTheCallers() throws Exception {
    SharedBarrier barrier = proxy(TypeIds.BARRIER);
    invoker.answer(c -> c.method().equals("config") ? List.of(3, 500L) : 1);
    assertEquals(1, barrier.await());
    assertEquals(1, barrier.await(Duration.ofSeconds(1)));
    assertEquals(3, barrier.getParties());
    assertEquals(
        List.of(
            call("config"),
            blocking("await", 500, false),
            blocking("await", TimeUnit.SECONDS.toNanos(1), true)),
        invoker.calls(),
        "the configuration is fetched once");
  }

  @Test
  void value_arithmeticAndCompareAndSet() {
    SharedValue<Integer> value = proxy(TypeIds.VALUE);
    invoker.answer(c -> c.method().equals("compareAndSet") ? true : 5);
    assertEquals(5, value.addAndGet(2));
    assertTrue(value.compareAndSet(5, 6));
    assertEquals(List.of(call("addAndGet", 2), call("compareAndSet", 5, 6)), invoker.calls());
  }

  @Test
  void pipe_recvIsParked_andPollWithATimeoutToo() throws Exception {
    SharedConnection end = proxy(TypeIds.PIPE);
    invoker.answer(c -> c.method().equals("recv") ? "m" : true);
    end.send("m");
    assertEquals("m", end.recv());
    assertTrue(end.poll(Duration.ofMillis(3)));
    assertThrows(IllegalArgumentException.class, () -> end.poll(Duration.ofMillis(-1)));
    assertEquals(
        List.of(
            call("send", "m"),
            blocking("recv", Blocking.FOREVER),
            blocking("poll", TimeUnit.MILLISECONDS.toNanos(3))),
        invoker.calls());
  }
}
