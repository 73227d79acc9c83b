package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.SharedJoinableQueue;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedQueue;

/**
 * Spec §4.1 (Queue / JoinableQueue) cases 1–7, plus the BlockingQueue contract and cancellation.
 */
abstract class QueueConformanceTest extends SyncConformanceBase {

  // --- §4.1 case 1: test_put

  @Test
  void put_fullQueueRefusesEveryNonBlockingAndTimedForm() throws Exception {
    SharedQueue<Integer> q = m.queue(6);
    SharedEvent childCanStart = m.event();
    SharedEvent parentCanContinue = m.event();
    Future<?> child =
        startProcess(
            client -> {
              SharedQueue<Integer> cq = via(client, q);
              via(client, childCanStart).await();
              for (int i = 0; i < 6; i++) {
                cq.take();
              }
              via(client, parentCanContinue).set();
            });
    assertTrue(q.empty());
    assertFalse(q.full());

    q.put(1);
    q.put(2);
    assertTrue(q.offer(3, 1, TimeUnit.SECONDS));
    assertTrue(q.offer(4));
    assertTrue(q.add(5));
    q.putNowait(6);
    assertFalse(q.empty());
    assertTrue(q.full());

    assertFalse(q.offer(7));
    assertThrows(IllegalStateException.class, () -> q.add(7));
    assertThrows(IllegalStateException.class, () -> q.putNowait(7));
    long start = System.nanoTime();
    assertFalse(q.offer(7, SHORT.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(millisSince(start) >= SHORT.toMillis(), "the timed offer waited its timeout");
    assertFalse(q.offer(7, 0, TimeUnit.MILLISECONDS));
    assertFalse(q.offer(7, -5, TimeUnit.SECONDS), "a negative timeout means do not wait");

    childCanStart.set();
    assertTrue(parentCanContinue.await(LONG));
    assertTrue(q.empty());
    assertFalse(q.full());
    join(child);
  }

  // --- case 2: test_get

  @Test
  void get_returnsInOrderThenEveryFormReportsEmpty() throws Exception {
    SharedQueue<Integer> q = m.queue();
    SharedEvent childCanStart = m.event();
    SharedEvent parentCanContinue = m.event();
    Future<?> child =
        startProcess(
            client -> {
              via(client, childCanStart).await();
              SharedQueue<Integer> cq = via(client, q);
              for (int i = 2; i <= 5; i++) {
                cq.put(i);
              }
              via(client, parentCanContinue).set();
            });
    assertTrue(q.empty());
    childCanStart.set();
    assertTrue(parentCanContinue.await(LONG));
    assertFalse(q.empty());

    assertEquals(2, q.take());
    assertEquals(3, q.poll(LONG.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(4, q.remove());
    assertEquals(5, q.getNowait());
    assertTrue(q.empty());

    assertNull(q.poll());
    assertThrows(NoSuchElementException.class, q::getNowait);
    assertThrows(NoSuchElementException.class, q::remove);
    assertThrows(NoSuchElementException.class, q::element);
    long start = System.nanoTime();
    assertNull(q.poll(SHORT.toMillis(), TimeUnit.MILLISECONDS));
    assertTrue(millisSince(start) >= SHORT.toMillis());
    assertNull(q.poll(0, TimeUnit.SECONDS));
    join(child);
  }

  // --- case 3: test_fork

  @Test
  void fifo_acrossProducers() throws Exception {
    SharedQueue<Integer> q = m.queue();
    for (int i = 0; i < 10; i++) {
      q.put(i);
    }
    join(
        startProcess(
            client -> {
              SharedQueue<Integer> cq = via(client, q);
              for (int i = 10; i < 20; i++) {
                cq.put(i);
              }
            }));
    List<Integer> got = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      got.add(q.take());
    }
    assertEquals(IntStream.range(0, 20).boxed().collect(Collectors.toList()), got);
    assertNull(q.poll());
  }

  // --- case 4: test_qsize

  @Test
  void qsize_tracksPutsAndGets() throws Exception {
    SharedQueue<Integer> q = m.queue();
    assertEquals(0, q.qsize());
    q.put(1);
    assertEquals(1, q.qsize());
    q.put(5);
    assertEquals(2, q.qsize());
    q.take();
    assertEquals(1, q.qsize());
    q.take();
    assertEquals(0, q.qsize());
  }

  // --- case 5: test_task_done

  @Test
  void join_returnsOnceEveryItemIsDone() throws Exception {
    SharedJoinableQueue<Integer> q = m.joinableQueue();
    SharedList<Integer> processed = m.list();
    List<Future<?>> workers =
        startProcesses(
            4,
            client -> {
              SharedJoinableQueue<Integer> wq = via(client, q);
              SharedList<Integer> done = via(client, processed);
              while (true) {
                int item = wq.take();
                if (item < 0) { // the end marker
                  wq.taskDone();
                  return;
                }
                done.add(item);
                wq.taskDone();
              }
            });
    for (int i = 0; i < 10; i++) {
      q.put(i);
    }
    q.join();
    assertEquals(10, processed.size(), "join() returned only after all 10 were processed");
    assertEquals(0, q.unfinishedTasks());
    for (int w = 0; w < 4; w++) {
      q.put(-1);
    }
    joinAll(workers);
    assertTrue(q.join(Duration.ZERO));
  }

  // --- cases 6 and 7: test_queue / test_joinable_queue (TestSyncManagerTypes)

  @Test
  void queue_childSeesParentsItems() throws Exception {
    checkChildSeesParentsItems(m.queue(2));
  }

  @Test
  void joinableQueue_childSeesParentsItems() throws Exception {
    checkChildSeesParentsItems(m.joinableQueue(2));
  }

  private void checkChildSeesParentsItems(SharedQueue<Integer> o) throws Exception {
    o.put(5);
    o.put(6);
    join(
        startProcess(
            client -> {
              SharedQueue<Integer> co = via(client, o);
              assertEquals(2, co.qsize());
              assertTrue(co.full());
              assertFalse(co.empty());
              assertEquals(5, co.take());
              assertFalse(co.empty());
              assertEquals(6, co.take());
              assertTrue(co.empty());
            }));
    assertTrue(o.empty());
    assertFalse(o.full());
  }

  // --- JoinableQueue details (§3.8)

  @Test
  void taskDone_tooManyTimesThrowsAndChangesNothing() throws Exception {
    SharedJoinableQueue<String> q = m.joinableQueue();
    assertThrows(IllegalStateException.class, q::taskDone);
    q.put("a");
    assertEquals(1, q.unfinishedTasks());
    q.take();
    q.taskDone();
    IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
    assertTrue(e.getMessage().contains("taskDone"), e.getMessage());
    assertEquals(0, q.unfinishedTasks());
    q.put("b");
    assertEquals(1, q.unfinishedTasks(), "the failed taskDone did not change the count");
  }

  @Test
  void join_timesOutWhileWorkIsUnfinished() throws Exception {
    SharedJoinableQueue<String> q = m.joinableQueue();
    q.put("work");
    q.take();
    long start = System.nanoTime();
    assertFalse(q.join(SHORT));
    assertTrue(millisSince(start) >= SHORT.toMillis());
    assertFalse(q.join(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> q.join(Duration.ofMillis(-1)));
    q.taskDone();
    assertTrue(q.join(SHORT));
  }

  @Test
  void join_waitersAreReleasedByTheLastTaskDone() throws Exception {
    SharedJoinableQueue<Integer> q = m.joinableQueue();
    q.put(1);
    q.put(2);
    CountDownLatch joining = new CountDownLatch(2);
    List<Future<?>> joiners =
        startProcesses(
            2,
            client -> {
              joining.countDown();
              via(client, q).join();
            });
    joining.await();
    q.take();
    q.taskDone();
    q.take();
    q.taskDone();
    joinAll(joiners);
  }

  // --- the rest of the BlockingQueue contract

  @Test
  void nullElements_areRejectedBeforeAnyRoundTrip() throws Exception {
    SharedQueue<String> q = m.queue();
    long before = m.stats().roundTrips();
    assertThrows(NullPointerException.class, () -> q.put(null));
    assertThrows(NullPointerException.class, () -> q.offer(null));
    assertThrows(NullPointerException.class, () -> q.add(null));
    assertThrows(NullPointerException.class, () -> q.offer(null, 1, TimeUnit.SECONDS));
    assertThrows(NullPointerException.class, () -> q.addAll(java.util.Arrays.asList("a", null)));
    assertEquals(
        before, m.stats().roundTrips(), "nothing was sent (stats() calls are not counted)");
    assertTrue(q.isEmpty());
    assertFalse(q.contains(null));
    assertFalse(q.remove(null));
  }

  @Test
  void queue_badMaxsizeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> m.queue(-1));
    assertThrows(IllegalArgumentException.class, () -> m.joinableQueue(-3));
    assertEquals(Integer.MAX_VALUE, m.<String>queue(0).remainingCapacity(), "0 is unbounded");
  }

  // a queue refusing to add itself is under test
  @SuppressWarnings("ModifyingCollectionWithItself")
  @Test
  void bulkOperations_oneRoundTripEach() throws Exception {
    SharedQueue<Integer> q = m.queue(5);
    assertEquals(5, q.remainingCapacity());
    assertTrue(q.addAll(List.of(1, 2, 3)));
    assertEquals(2, q.remainingCapacity());
    IllegalStateException full =
        assertThrows(IllegalStateException.class, () -> q.addAll(List.of(4, 5, 6)));
    assertTrue(full.getMessage().contains("2 of 3"), full.getMessage());
    assertEquals(List.of(1, 2, 3, 4, 5), List.copyOf(q));
    assertTrue(q.contains(3));
    assertTrue(q.containsAll(List.of(1, 5)));
    assertFalse(q.containsAll(List.of(1, 9)));
    assertTrue(q.remove(3));
    assertFalse(q.remove(3));
    assertEquals(1, q.peek());
    assertEquals(1, q.element());

    List<Integer> sink = new ArrayList<>();
    assertEquals(2, q.drainTo(sink, 2));
    assertEquals(List.of(1, 2), sink);
    assertEquals(0, q.drainTo(sink, 0));
    assertEquals(2, q.drainTo(sink));
    assertEquals(List.of(1, 2, 4, 5), sink);
    assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
    assertThrows(IllegalArgumentException.class, () -> q.drainTo(via(newClient(), q)));
    assertThrows(IllegalArgumentException.class, () -> q.addAll(q));

    q.addAll(List.of(7, 8, 9, 7));
    assertTrue(q.removeAll(List.of(7)));
    assertEquals(List.of(8, 9), List.copyOf(q));
    assertTrue(q.retainAll(List.of(9)));
    assertArrayEquals(new Object[] {9}, q.toArray());
    assertEquals(9, q.toArray(new Integer[0])[0]);
    q.clear();
    assertTrue(q.isEmpty());
  }

  private static void assertArrayEquals(Object[] expected, Object[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
  }

  @Test
  void iterator_walksASnapshotAndRemovesFromTheLiveQueue() throws Exception {
    SharedQueue<String> q = m.queue();
    q.addAll(List.of("a", "b", "c"));
    Iterator<String> it = q.iterator();
    q.put("d"); // not in the snapshot
    assertEquals("a", it.next());
    it.remove();
    assertEquals("b", it.next());
    assertEquals("c", it.next());
    assertFalse(it.hasNext());
    assertThrows(IllegalStateException.class, () -> q.iterator().remove());
    assertEquals(List.of("b", "c", "d"), List.copyOf(q));
    q.removeIf("c"::equals);
    assertEquals(List.of("b", "d"), List.copyOf(q));
  }

  @Test
  void drainTo_admitsWaitingPutters() throws Exception {
    SharedQueue<Integer> q = m.queue(1);
    q.put(1);
    CountDownLatch putting = new CountDownLatch(1);
    Future<?> putter =
        startProcess(
            client -> {
              putting.countDown();
              via(client, q).put(2);
            });
    putting.await();
    waitUntil(() -> managerView(m, q).contains("1 waiting to put"));
    List<Integer> sink = new ArrayList<>();
    q.drainTo(sink);
    join(putter);
    assertEquals(List.of(1, 2), sink);
  }

  // --- blocking: hand-off, timeouts and interrupts cancel on the manager

  @Test
  void take_blockedTakerGetsTheNextItem() throws Exception {
    SharedQueue<String> q = m.queue();
    AtomicReference<String> got = new AtomicReference<>();
    Future<?> taker = startProcess(client -> got.set(via(client, q).take()));
    waitUntil(() -> managerView(m, q).contains("1 waiting to get"));
    q.put("x");
    join(taker);
    assertEquals("x", got.get());
    assertTrue(q.isEmpty());
  }

  @Test
  void put_blockedPutterIsAdmittedWhenRoomIsMade() throws Exception {
    SharedQueue<String> q = m.queue(1);
    q.put("first");
    Future<?> putter = startProcess(client -> via(client, q).put("second"));
    waitUntil(() -> managerView(m, q).contains("1 waiting to put"));
    assertEquals("first", q.take());
    join(putter);
    assertEquals("second", q.take());
  }

  @Test
  void take_interruptedTakerIsWithdrawnAndGetsNothing() throws Exception {
    SharedQueue<String> q = m.queue();
    assertInterruptedWhileParked(
        () -> q.take(), () -> managerView(m, q).contains("1 waiting to get"));
    assertFalse(q.toString().contains("waiting"), q.toString());
    q.put("kept");
    assertEquals(1, q.size(), "the item stayed in the queue: nobody gave it to the gone taker");
  }

  @Test
  void put_interruptedPutterNeverInserts() throws Exception {
    SharedQueue<String> q = m.queue(1);
    q.put("first");
    assertInterruptedWhileParked(
        () -> q.put("second"), () -> managerView(m, q).contains("1 waiting to put"));
    assertEquals("first", q.take());
    assertNull(q.poll(), "the withdrawn putter's item never entered");
  }

  @Test
  void poll_timedOutTakerLeavesLaterItemsInTheQueue() throws Exception {
    SharedQueue<String> q = m.queue();
    assertNull(q.poll(SHORT.toMillis(), TimeUnit.MILLISECONDS));
    q.put("later");
    assertEquals(1, q.size());
    assertEquals("later", q.poll(SHORT.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void take_interruptStatusSetOnEntryThrowsAtOnce() {
    SharedQueue<String> q = m.queue();
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, q::take);
    assertFalse(Thread.interrupted());
  }

  // --- nested proxies (§3.2, §3.9): queues inside containers, proxies through queues

  @Test
  void queue_storedInADictStaysShared() throws Exception {
    SharedQueue<String> q = m.queue();
    SharedMap<String, Object> registry = m.dict();
    registry.put("jobs", q);
    join(
        startProcess(
            client -> {
              @SuppressWarnings("unchecked")
              SharedQueue<String> jobs = (SharedQueue<String>) via(client, registry).get("jobs");
              jobs.put("from the child");
            }));
    assertEquals("from the child", q.take());
  }

  @Test
  void proxy_sentThroughAQueueReachesTheSameObjectAndIsKeptAlive() throws Exception {
    SharedQueue<Object> q = m.queue();
    Manager producer = newClient();
    SharedList<String> list = producer.list();
    list.add("made by the producer");
    via(producer, q).put(list);
    producer.close(); // only the queue holds the list now
    @SuppressWarnings("unchecked")
    SharedList<String> received = (SharedList<String>) q.take();
    assertEquals(List.of("made by the producer"), received.copy());
    received.add("seen by the consumer");
    assertEquals(2, received.size());
  }

  @Test
  void toString_showsTheElementsAsAbstractCollectionDoes() throws Exception {
    SharedJoinableQueue<String> q = m.joinableQueue(3);
    q.put("a");
    assertEquals("[a]", q.toString());
    String managerSide = managerView(m, q);
    assertTrue(
        managerSide.contains("JoinableQueue") && managerSide.contains("size=1"), managerSide);
    assertEquals(q, via(newClient(), q), "proxies of one queue are equal");
  }
}
