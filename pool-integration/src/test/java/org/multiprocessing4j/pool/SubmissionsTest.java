package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the pool's calls become jobs, without a pool: a fake scheduling records the jobs, and the
 * test runs a job's task in this JVM (deserialized from its payload, as a worker would) in the
 * order it chooses.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SubmissionsTest {

  /** Records what reaches the scheduler; refuses jobs once closed, as the scheduler does. */
  private static final class FakeScheduling implements Submissions.Scheduling {
    final List<Job> submitted = new ArrayList<>();
    final List<List<Job>> batches = new ArrayList<>();
    final List<String> cancels = new ArrayList<>();
    boolean closed;

    @Override
    public void checkRunning() {
      if (closed) {
        throw new IllegalStateException("Pool not running");
      }
    }

    @Override
    public void submit(List<Job> jobs) {
      checkRunning();
      batches.add(List.copyOf(jobs));
      submitted.addAll(jobs);
    }

    @Override
    public void cancel(Collection<Job> jobs, boolean interrupt, CancellationException reason) {
      cancels.add(jobs.stream().map(j -> "#" + j.id).toList() + " interrupt=" + interrupt);
    }
  }

  private final FakeScheduling scheduling = new FakeScheduling();
  private final Submissions submissions = new Submissions(4, 3, Runnable::run, scheduling);

  /** Runs the job's task as a worker would: deserialized from the payload the job carries. */
  private static Object runTask(Job job) throws Exception {
    Work work = (Work) Wire.deserialize(job.payload, SubmissionsTest.class.getClassLoader());
    return work.run();
  }

  private static void complete(Job job) throws Exception {
    job.listener.succeeded(runTask(job));
  }

  /** How many items each job's chunk holds. */
  private List<Integer> chunkSizes() throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (Job job : scheduling.submitted) {
      sizes.add(((List<?>) runTask(job)).size());
    }
    return sizes;
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  @Test
  void defaultChunksize_isPythons_fourChunksPerProcess_roundedUp() {
    assertEquals(7, Submissions.defaultChunksize(100, 4)); // ceil(100 / 16)
    assertEquals(1, Submissions.defaultChunksize(10, 4));
    assertEquals(2, Submissions.defaultChunksize(32, 4));
    assertEquals(0, Submissions.defaultChunksize(0, 4));
  }

  @Test
  void map_defaultChunksize_cutsTheInputsIntoOneBatchOfChunks() throws Exception {
    PoolFuture<List<Integer>> result =
        submissions.map((Integer x) -> x * 2, range(0, 100), 0, null, null);

    assertEquals(1, scheduling.batches.size(), "a map's chunks are submitted together");
    List<Integer> expected = new ArrayList<>(Collections.nCopies(14, 7));
    expected.add(2);
    assertEquals(expected, chunkSizes());
    assertFalse(result.isDone());
  }

  @Test
  void map_givenChunksize_resultsInInputOrder_whateverOrderTheChunksFinish() throws Exception {
    PoolFuture<List<Integer>> result =
        submissions.map((Integer x) -> x * 10, range(0, 10), 3, null, null);
    assertEquals(List.of(3, 3, 3, 1), chunkSizes());

    List<Job> reversed = new ArrayList<>(scheduling.submitted);
    Collections.reverse(reversed);
    for (Job job : reversed) {
      assertFalse(result.isDone(), "done only once every chunk is in");
      complete(job);
    }
    assertEquals(List.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 90), result.get());
  }

  @Test
  void map_chunkFails_theMapFailsWithIt_onceEveryChunkHasFinished() throws Exception {
    PoolFuture<List<Integer>> result =
        submissions.map((Integer x) -> x, range(0, 4), 1, null, null);
    List<Job> jobs = scheduling.submitted;
    IllegalStateException first = new IllegalStateException("first");
    jobs.get(2).listener.failed(first);
    jobs.get(0).listener.failed(new IllegalStateException("second"));
    complete(jobs.get(1));
    assertFalse(result.isDone());
    complete(jobs.get(3));

    ExecutionException thrown = assertThrows(ExecutionException.class, result::get);
    assertSame(first, thrown.getCause());
  }

  @Test
  void map_noInputs_isDoneAtOnce_withNoJob() throws Exception {
    PoolFuture<List<Object>> result = submissions.map((Object x) -> x, List.of(), 0, null, null);
    assertEquals(List.of(), result.get());
    assertEquals(List.of(), scheduling.submitted);
  }

  @Test
  void map_negativeChunksize_isRefused() {
    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> submissions.map((Integer x) -> x, range(0, 3), -1, null, null));
    assertEquals("Chunksize must be 1+ (or 0 for the default), not -1", thrown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Submissions.checkChunksize(0));
  }

  @Test
  void map_cancelled_withdrawsEveryChunk() {
    PoolFuture<List<Integer>> result =
        submissions.map((Integer x) -> x, range(0, 5), 2, null, null);
    assertTrue(result.cancel(true));
    assertEquals(List.of("[#1, #2, #3] interrupt=true"), scheduling.cancels);
  }

  @Test
  void starmap_spreadsEachPairOverTheTwoArguments_inOrder() throws Exception {
    List<Map.Entry<String, Integer>> pairs =
        List.of(Map.entry("a", 1), Map.entry("b", 2), Map.entry("c", 3), Map.entry("d", 4));
    PoolFuture<List<String>> result =
        submissions.starmap((String s, Integer n) -> s.repeat(n), pairs, 3);
    assertEquals(List.of(3, 1), chunkSizes());
    complete(scheduling.submitted.get(1));
    complete(scheduling.submitted.get(0));
    assertEquals(List.of("a", "bb", "ccc", "dddd"), result.get());
  }

  @Test
  void starmap_nullPair_isRefused_beforeAnyJob() {
    List<Map.Entry<String, Integer>> pairs = new ArrayList<>();
    pairs.add(Map.entry("a", 1));
    pairs.add(null);
    NullPointerException thrown =
        assertThrows(
            NullPointerException.class,
            () -> submissions.starmap((String s, Integer n) -> s, pairs, 1));
    assertEquals("a pair of starmap is null", thrown.getMessage());
    assertEquals(List.of(), scheduling.submitted);
  }

  @Test
  void single_completesWithTheTasksResult_orItsFailure() throws Exception {
    PoolFuture<String> ok =
        submissions.single(
            Work.call((SerializableCallable<String>) () -> "done"), "task", null, null);
    PoolFuture<String> bad =
        submissions.single(Work.call((SerializableCallable<String>) () -> "x"), "task", null, null);
    assertEquals(2, scheduling.batches.size());
    complete(scheduling.submitted.get(0));
    UnsupportedOperationException failure = new UnsupportedOperationException("no");
    scheduling.submitted.get(1).listener.failed(failure);

    assertEquals("done", ok.get());
    assertSame(failure, assertThrows(ExecutionException.class, bad::get).getCause());
  }

  @Test
  void imap_ordered_holdsAtMostTheWindow_andYieldsInInputOrder() throws Exception {
    ImapIterator<Integer> results = submissions.imap((Integer x) -> x * 10, range(0, 10), 2, true);
    assertEquals(3, scheduling.submitted.size(), "the window is three chunks");

    complete(scheduling.submitted.get(2));
    complete(scheduling.submitted.get(1));
    complete(scheduling.submitted.get(0));
    List<Integer> seen = new ArrayList<>();
    seen.add(results.next());
    seen.add(results.next()); // the first chunk consumed: one more is submitted
    assertEquals(4, scheduling.submitted.size());
    seen.add(results.next());
    seen.add(results.next());
    seen.add(results.next());
    seen.add(results.next());
    assertEquals(5, scheduling.submitted.size(), "the inputs hold five chunks of two");
    complete(scheduling.submitted.get(4));
    complete(scheduling.submitted.get(3));
    while (results.hasNext()) {
      seen.add(results.next());
    }
    assertEquals(List.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 90), seen);
    assertEquals(3, results.maxHeld());
  }

  @Test
  void imapUnordered_yieldsChunksInTheOrderTheyFinish() throws Exception {
    Submissions twoWide = new Submissions(4, 2, Runnable::run, scheduling);
    ImapIterator<Integer> results =
        twoWide.imap((Integer x) -> x * 10, List.of(1, 2, 3, 4), 1, false);
    assertEquals(2, scheduling.submitted.size());

    complete(scheduling.submitted.get(1));
    complete(scheduling.submitted.get(0));
    assertEquals(20, results.next());
    assertEquals(10, results.next());
    assertEquals(4, scheduling.submitted.size());
    complete(scheduling.submitted.get(3));
    complete(scheduling.submitted.get(2));
    assertEquals(40, results.next());
    assertEquals(30, results.next());
    assertFalse(results.hasNext());
  }

  @Test
  void imap_closed_withdrawsTheChunksInFlight() {
    ImapIterator<Integer> results = submissions.imap((Integer x) -> x, range(0, 10), 2, true);
    results.close();
    assertEquals(List.of("[#1, #2, #3] interrupt=true"), scheduling.cancels);
    assertFalse(results.hasNext());
  }

  @Test
  void closedPool_refusesEveryKindOfCall_andSubmitsNothing() {
    scheduling.closed = true;
    assertThrows(
        IllegalStateException.class,
        () ->
            submissions.single(
                Work.call((SerializableCallable<Integer>) () -> 1), "t", null, null));
    assertThrows(
        IllegalStateException.class,
        () -> submissions.map((Integer x) -> x, range(0, 3), 0, null, null));
    assertThrows(
        IllegalStateException.class,
        () -> submissions.starmap((String s, Integer n) -> s, List.of(Map.entry("a", 1)), 0));
    assertThrows(
        IllegalStateException.class,
        () -> submissions.imap((Integer x) -> x, range(0, 3), 1, true));
    assertEquals(List.of(), scheduling.submitted);
  }

  @Test
  void unserializableTask_isRefused_withTaskSerializationException() {
    Object notSerializable = new Object();
    TaskSerializationException thrown =
        assertThrows(
            TaskSerializationException.class,
            () -> submissions.map((Integer x) -> notSerializable, range(0, 3), 0, null, null));
    assertInstanceOf(java.io.NotSerializableException.class, thrown.getCause());
    assertEquals(List.of(), scheduling.submitted);
  }
}
