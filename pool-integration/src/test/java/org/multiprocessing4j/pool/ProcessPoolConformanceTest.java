package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.SharedList;

/**
 * Spec §4.9 (Python's {@code _TestPool}, {@code _TestPoolWorkerErrors}, {@code
 * _TestPoolWorkerLifetime}, {@code TestInitializers}) against real worker JVMs. Most cases share
 * one pool of 4 workers, as Python's {@code _TestPool} does; cases about the pool's lifecycle get
 * their own small pool.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolConformanceTest {
  /**
   * Small heaps and a quick JIT: the workers of these tests start fast and run out of memory
   * cheaply.
   */
  static final String[] TEST_JVM = {"-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};

  static final int WINDOW = 8;

  Manager m;
  ProcessPool pool;

  @BeforeAll
  void start() {
    m = Manager.builder().hostInProcess().start();
    pool =
        ProcessPool.builder()
            .processes(4)
            .manager(m)
            .imapWindow(WINDOW)
            .jvmOptions(TEST_JVM)
            .start();
  }

  @AfterAll
  void stop() {
    if (pool != null) {
      pool.close();
    }
    if (m != null) {
      m.close();
    }
  }

  static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  static List<Integer> squares(int n) {
    return IntStream.range(0, n).map(i -> i * i).boxed().collect(Collectors.toList());
  }

  // 64. test_apply
  @Test
  void apply_returnsTheTaskResult() {
    assertEquals(25, (int) pool.apply(() -> Tasks.sqr(5)));
    assertEquals(9, (int) pool.<Integer, Integer>apply(Tasks::sqr, 3));
  }

  // 65. test_map
  @Test
  void map_inInputOrder_withDefaultAndExplicitChunksize() {
    assertEquals(squares(10), pool.map(Tasks::sqr, range(10)));
    assertEquals(squares(100), pool.map(Tasks::sqr, range(100), 20));
  }

  @Test
  void map_defaultChunksize_isPythons() {
    assertEquals(7, Submissions.defaultChunksize(100, 4)); // ceil(100 / 16)
    assertEquals(1, Submissions.defaultChunksize(10, 4));
    assertEquals(2, Submissions.defaultChunksize(32, 4));
  }

  @Test
  void map_chunksizeBelowOne_isRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pool.map(Tasks::sqr, range(3), 0));
    assertEquals("Chunksize must be 1+, not 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> pool.imap(Tasks::sqr, range(3), -1));
  }

  // 66. test_starmap
  @Test
  void starmap_appliesToEachPair() {
    List<Map.Entry<Integer, Integer>> pairs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      pairs.add(Map.entry(i, 9 - i));
    }
    List<Integer> expected =
        pairs.stream().map(p -> p.getKey() * p.getValue()).collect(Collectors.toList());
    assertEquals(expected, pool.starmap(Tasks::mul, pairs));

    List<Map.Entry<Integer, Integer>> hundred = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      hundred.add(Map.entry(i, 99 - i));
    }
    List<Integer> expected100 =
        hundred.stream().map(p -> p.getKey() * p.getValue()).collect(Collectors.toList());
    assertEquals(expected100, pool.starmap(Tasks::mul, hundred, 20));
  }

  // 67. test_starmap_async / test_map_async
  @Test
  void asyncMaps_returnTheLists() throws Exception {
    List<Map.Entry<Integer, Integer>> pairs = List.of(Map.entry(2, 3), Map.entry(4, 5));
    assertEquals(List.of(6, 20), pool.starmapAsync(Tasks::mul, pairs).get());
    assertEquals(squares(10), pool.mapAsync(Tasks::sqr, range(10)).get());
  }

  // 68. test_map_async_callbacks: the callbacks have run once the result is ready, as in Python
  @Test
  void mapAsync_callbacks_runBeforeTheResultIsReady() throws Exception {
    List<Object> callArgs = new CopyOnWriteArrayList<>();
    pool.<String, Integer>mapAsync(Integer::parseInt, List.of("1"), 0, callArgs::add, callArgs::add)
        .await();
    assertEquals(List.of(List.of(1)), callArgs);

    AsyncResult<List<Integer>> failing =
        pool.<String, Integer>mapAsync(
            Integer::parseInt, List.of("a"), 0, callArgs::add, callArgs::add);
    failing.await();
    assertEquals(2, callArgs.size());
    assertInstanceOf(NumberFormatException.class, callArgs.get(1));
    ExecutionException e = assertThrows(ExecutionException.class, failing::get);
    assertSame(callArgs.get(1), e.getCause());
  }

  // 69. test_map_unplicklable: refused at submission, nothing hangs
  @Test
  void map_unserializableInputs_failFast() {
    List<Object> inputs = Collections.nCopies(10, new Tasks.Unserializable());
    TaskSerializationException e =
        assertThrows(TaskSerializationException.class, () -> pool.map(String::valueOf, inputs));
    assertInstanceOf(NotSerializableException.class, e.getCause());
    assertTrue(e.getMessage().contains(Tasks.Unserializable.class.getName()), e.getMessage());
  }

  @Test
  void apply_unserializableArgumentOrCapture_isRefusedAtSubmission() {
    Tasks.Unserializable captured = new Tasks.Unserializable();
    assertThrows(TaskSerializationException.class, () -> pool.apply(captured::toString));
    assertThrows(
        TaskSerializationException.class,
        () -> pool.apply(String::valueOf, new Tasks.Unserializable()));
  }

  // 70. test_map_chunksize: an empty map is ready at once
  @Test
  void mapAsync_empty_isReadyAtOnce() throws Exception {
    assertEquals(
        List.of(),
        pool.mapAsync(Tasks::sqr, List.<Integer>of(), 1).get(100, TimeUnit.MILLISECONDS));
  }

  // 71. test_async
  @Test
  void applyAsync_returnsLater() throws Exception {
    AsyncResult<Integer> result = pool.applyAsync(() -> Tasks.sqr(7, 100));
    assertEquals(49, (int) result.get());
    assertTrue(result.ready());
    assertTrue(result.successful());
  }

  // 72. test_async_timeout; the timed-out task is then cancelled and interrupted in its worker
  @Test
  void applyAsync_getWithTimeout_throwsTimeoutException_andCancelInterruptsTheWorker()
      throws Exception {
    SharedList<String> log = m.list();
    SharedEvent started = m.event();
    AsyncResult<Integer> result =
        pool.applyAsync(
            () -> {
              started.set();
              try {
                Tasks.blockUntilInterrupted();
                return 1;
              } catch (InterruptedException e) {
                log.add("interrupted");
                throw e;
              }
            });
    assertThrows(TimeoutException.class, () -> result.get(100, TimeUnit.MILLISECONDS));
    assertFalse(result.ready());
    assertThrows(IllegalStateException.class, result::successful);
    assertTrue(started.await(java.time.Duration.ofSeconds(30)));
    assertTrue(result.cancel(true));
    assertTrue(result.isCancelled());
    assertThrows(CancellationException.class, result::get);
    awaitUntil(() -> log.contains("interrupted"));
  }

  // 73. test_imap
  @Test
  void imap_ordered_lazy_andExhausted() throws Exception {
    List<Integer> all = new ArrayList<>();
    pool.imap(Tasks::sqr, range(10)).forEachRemaining(all::add);
    assertEquals(squares(10), all);

    ResultIterator<Integer> it = pool.imap(Tasks::sqr, range(10));
    for (int i = 0; i < 10; i++) {
      assertEquals(i * i, (int) it.next(30, TimeUnit.SECONDS));
    }
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);

    List<Integer> chunked = new ArrayList<>();
    for (int x : pool.imap(Tasks::sqr, range(1000), 100)) {
      chunked.add(x);
    }
    assertEquals(squares(1000), chunked);
  }

  @Test
  void imap_nextWithTimeout_throwsTimeoutException_thenDelivers() throws Exception {
    SharedEvent go = m.event();
    ResultIterator<Integer> it =
        pool.imap(
            x -> {
              try {
                go.await();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return x;
            },
            List.of(42));
    assertThrows(TimeoutException.class, () -> it.next(100, TimeUnit.MILLISECONDS));
    go.set();
    assertEquals(42, (int) it.next(30, TimeUnit.SECONDS));
    assertFalse(it.hasNext());
  }

  // 74. test_imap_unordered
  @Test
  void imapUnordered_allResults() {
    List<Integer> all = new ArrayList<>();
    pool.imapUnordered(Tasks::sqr, range(10)).forEachRemaining(all::add);
    Collections.sort(all);
    assertEquals(squares(10), all);

    List<Integer> chunked = new ArrayList<>();
    pool.imapUnordered(Tasks::sqr, range(1000), 100).forEachRemaining(chunked::add);
    Collections.sort(chunked);
    assertEquals(squares(1000), chunked);
  }

  @Test
  void imap_taskFailure_isThrownAtItsPosition_andIterationContinues() {
    ResultIterator<Integer> it =
        pool.imap(x -> x == 2 ? (Integer) Tasks.raiseIllegalArgument("two") : x, range(4));
    assertEquals(0, (int) it.next());
    assertEquals(1, (int) it.next());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, it::next);
    assertEquals("two", e.getMessage());
    assertEquals(3, (int) it.next());
    assertFalse(it.hasNext());
  }

  /** 100,000 inputs through imap: the parent never holds more than the window. */
  @Test
  void imap_hundredThousandInputs_boundedByTheWindow() {
    int n = 100_000;
    int chunksize = 50;
    CountingIterator inputs = new CountingIterator(n);
    ImapIterator<Integer> it =
        ((PoolImpl) pool).<Integer, Integer>imap(x -> x * 2, () -> inputs, chunksize);
    long consumed = 0;
    long maxAhead = 0;
    while (it.hasNext()) {
      int value = it.next();
      assertEquals(consumed * 2, value);
      consumed++;
      maxAhead = Math.max(maxAhead, inputs.pulled - consumed);
    }
    assertEquals(n, consumed);
    assertTrue(maxAhead <= (long) WINDOW * chunksize, "inputs read ahead: " + maxAhead);
    assertTrue(it.maxHeld() <= WINDOW, "chunks held: " + it.maxHeld());
    assertEquals(WINDOW, it.maxHeld()); // and the window was used
  }

  @Test
  void imapUnordered_boundedByTheWindow() {
    int n = 20_000;
    int chunksize = 10;
    CountingIterator inputs = new CountingIterator(n);
    ImapIterator<Integer> it =
        ((PoolImpl) pool).<Integer, Integer>imapUnordered(x -> x, () -> inputs, chunksize);
    long consumed = 0;
    long sum = 0;
    while (it.hasNext()) {
      sum += it.next();
      consumed++;
      assertTrue(inputs.pulled - consumed <= (long) WINDOW * chunksize);
    }
    assertEquals((long) n * (n - 1) / 2, sum);
    assertTrue(it.maxHeld() <= WINDOW);
  }

  @Test
  void imap_close_stopsReadingInputs() {
    CountingIterator inputs = new CountingIterator(1_000_000);
    ResultIterator<Integer> it = pool.<Integer, Integer>imap(x -> x, () -> inputs, 10);
    assertEquals(0, (int) it.next());
    it.close();
    assertFalse(it.hasNext());
    assertTrue(inputs.pulled <= (WINDOW + 1) * 10L, "read " + inputs.pulled);
  }

  // 77. test_empty_iterable (the close/join half is in the lifecycle test)
  @Test
  void emptyIterables_giveEmptyResults() throws Exception {
    assertEquals(List.of(), pool.map(Tasks::sqr, List.<Integer>of()));
    assertFalse(pool.imap(Tasks::sqr, List.<Integer>of()).hasNext());
    assertFalse(pool.imapUnordered(Tasks::sqr, List.<Integer>of()).hasNext());
    assertEquals(List.of(), pool.mapAsync(Tasks::sqr, List.<Integer>of()).get());
    assertEquals(List.of(), pool.starmap(Tasks::mul, List.<Map.Entry<Integer, Integer>>of()));
  }

  // 78. test_wrapped_exception: the same type, with the worker's stack trace
  @Test
  void apply_taskException_arrivesAsItself_withTheWorkersTrace() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> pool.apply(() -> Tasks.raiseIllegalArgument("foo")));
    assertEquals("foo", e.getMessage());
    assertTrue(hasFrame(e, Tasks.class.getName(), "raiseIllegalArgument"), trace(e));
    assertTrue(hasFrame(e, WorkerMain.class.getName(), "runTask"), trace(e)); // thrown in a worker
  }

  @Test
  void applyAsync_taskException_failsTheFuture_andReachesTheErrorCallback() throws Exception {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Object> results = new CopyOnWriteArrayList<>();
    AsyncResult<Object> result =
        pool.applyAsync(() -> Tasks.raiseIllegalArgument("key"), results::add, errors::add);
    ExecutionException e = assertThrows(ExecutionException.class, result::get);
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertFalse(result.successful());
    assertEquals(List.of(e.getCause()), errors);
    assertEquals(List.of(), results);
  }

  @Test
  void apply_checkedException_isWrappedInCompletionException() {
    java.util.concurrent.CompletionException e =
        assertThrows(
            java.util.concurrent.CompletionException.class,
            () ->
                pool.apply(
                    () -> {
                      throw new java.io.IOException("disk");
                    }));
    assertInstanceOf(java.io.IOException.class, e.getCause());
    assertEquals("disk", e.getCause().getMessage());
  }

  @Test
  void apply_exceptionThatCannotBeSerialized_isRebuiltAsTheSameType() {
    Tasks.ExceptionWithUnserializableField e =
        assertThrows(
            Tasks.ExceptionWithUnserializableField.class,
            () ->
                pool.apply(
                    () -> {
                      throw new Tasks.ExceptionWithUnserializableField("rebuilt");
                    }));
    assertEquals("rebuilt", e.getMessage());
    assertTrue(hasFrame(e, WorkerMain.class.getName(), "runTask"), trace(e));
  }

  // 79. test_map_no_failfast: every chunk runs; the first failure is thrown once all are done
  @Test
  void map_noFailFast() {
    SharedList<Integer> finished = m.list();
    String large = "x".repeat(1 << 20);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                pool.map(
                    i -> {
                      if (i == 1) {
                        Tasks.sleep(300);
                      }
                      finished.add(i);
                      return Tasks.raiseIllegalArgument(large);
                    },
                    List.of(0, 1),
                    1));
    assertEquals(large.length(), e.getMessage().length());
    assertEquals(List.of(0, 1), finished.stream().sorted().collect(Collectors.toList()));
  }

  // 82. _TestPoolWorkerErrors: an unserializable result, 5 times; the worker survives each time
  @Test
  void apply_unserializableResult_failsWithTaskSerializationException() throws Exception {
    for (int i = 0; i < 5; i++) {
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      var result = pool.applyAsync(Tasks.Unserializable::new, null, errors::add);
      ExecutionException e = assertThrows(ExecutionException.class, result::get);
      TaskSerializationException cause =
          assertInstanceOf(TaskSerializationException.class, e.getCause());
      assertTrue(cause.getMessage().contains("result could not be sent back"), cause.getMessage());
      assertInstanceOf(NotSerializableException.class, cause.getCause());
      assertEquals(List.of(cause), errors);
    }
    assertEquals(4, (int) pool.apply(() -> 2 + 2));
  }

  @Test
  void apply_workerCallsSystemExit_failsThatTask_andThePoolKeepsWorking() {
    WorkerDiedException e =
        assertThrows(
            WorkerDiedException.class,
            () ->
                pool.apply(
                    () -> {
                      Runtime.getRuntime().exit(3);
                      return 0;
                    }));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
    assertEquals(squares(20), pool.map(Tasks::sqr, range(20), 1));
  }

  @Test
  void apply_outOfMemory_failsWithTheError_andTheWorkerIsReplaced() {
    assertThrows(OutOfMemoryError.class, () -> pool.apply(() -> new long[64 * 1024 * 1024].length));
    assertEquals(squares(20), pool.map(Tasks::sqr, range(20), 1));
  }

  // Shared objects: proxies in tasks reconnect inside the workers, and results can carry them back.
  @Test
  void proxies_passedToTasks_stayShared() {
    SharedList<Integer> list = m.list();
    pool.map(i -> list.add(i), range(20), 3);
    assertEquals(range(20), list.stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void connectFromEnvironment_worksInATask() {
    String target = m.target();
    assertEquals(
        target,
        pool.apply(
            () -> {
              try (Manager w = Manager.connectFromEnvironment()) {
                return w.target();
              }
            }));
  }

  @Test
  void proxy_createdInAWorker_canBeReturned() {
    SharedList<Integer> fromWorker =
        pool.apply(() -> Manager.connectFromEnvironment().<Integer>list(List.of(1, 2)));
    assertEquals(List.of(1, 2), new ArrayList<>(fromWorker));
  }

  @Test
  void workerOutput_isForwardedToThisJvm() throws Exception {
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, "UTF-8"));
    try {
      pool.apply(
          () -> {
            System.out.println("hello from the worker");
            return 0;
          });
      awaitUntil(
          () ->
              captured
                  .toString(java.nio.charset.StandardCharsets.UTF_8)
                  .contains("hello from the worker"));
    } finally {
      System.setOut(original);
    }
  }

  // ---------------------------------------------------------------- the ExecutorService view

  @Test
  void executorService_runsSerializableTasks() throws Exception {
    java.util.concurrent.ExecutorService executor = pool.asExecutorService();
    long workerPid =
        executor
            .submit((java.util.concurrent.Callable<Long> & java.io.Serializable) Tasks::pid)
            .get();
    assertTrue(workerPid != Tasks.pid(), "ran in this JVM");

    List<java.util.concurrent.Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      tasks.add((java.util.concurrent.Callable<Integer> & java.io.Serializable) () -> n * 10);
    }
    List<Integer> results = new ArrayList<>();
    for (java.util.concurrent.Future<Integer> f : executor.invokeAll(tasks)) {
      results.add(f.get());
    }
    assertEquals(List.of(0, 10, 20, 30, 40), results);
    assertTrue(List.of(0, 10, 20, 30, 40).contains(executor.invokeAny(tasks)));

    SharedList<String> ran = m.list();
    executor.execute((Runnable & java.io.Serializable) () -> ran.add("ran"));
    awaitUntil(() -> ran.contains("ran"));
    assertEquals("done", executor.submit((Runnable & java.io.Serializable) () -> {}, "done").get());
  }

  @Test
  void executorService_refusesTasksThatAreNotSerializable() {
    java.util.concurrent.ExecutorService executor = pool.asExecutorService();
    java.util.concurrent.Callable<Integer> plain = () -> 1;
    java.util.concurrent.RejectedExecutionException e =
        assertThrows(
            java.util.concurrent.RejectedExecutionException.class, () -> executor.submit(plain));
    assertTrue(e.getMessage().contains("must be Serializable"), e.getMessage());
    assertThrows(
        java.util.concurrent.RejectedExecutionException.class, () -> executor.execute(() -> {}));
    Tasks.Unserializable captured = new Tasks.Unserializable();
    assertThrows(
        java.util.concurrent.RejectedExecutionException.class,
        () ->
            executor.submit(
                (java.util.concurrent.Callable<String> & java.io.Serializable) captured::toString));
  }

  // ---------------------------------------------------------------- builder validation

  // 75. test_make_pool / 82. maxtasksperchild validation
  @Test
  void builder_rejectsBadNumbers() {
    assertEquals(
        "Number of processes must be at least 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().processes(0))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().processes(-1));
    assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().maxTasksPerChild(0));
    assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().maxTasksPerChild(-1));
    assertThrows(IllegalArgumentException.class, () -> ProcessPool.builder().imapWindow(0));
    assertThrows(NullPointerException.class, () -> ProcessPool.builder().initializer(null));
    assertThrows(NullPointerException.class, () -> ProcessPool.builder().manager(null));
  }

  // ---------------------------------------------------------------- helpers

  /** An input iterator that counts what the pool read. */
  // one thread pulls; volatile only so the test thread sees the count
  @SuppressWarnings("NonAtomicVolatileUpdate")
  static final class CountingIterator implements Iterator<Integer> {
    private final int n;
    volatile long pulled;

    CountingIterator(int n) {
      this.n = n;
    }

    @Override
    public boolean hasNext() {
      return pulled < n;
    }

    @Override
    public Integer next() {
      if (pulled >= n) {
        throw new NoSuchElementException();
      }
      return (int) pulled++;
    }
  }

  static boolean hasFrame(Throwable t, String className, String method) {
    return Arrays.stream(t.getStackTrace())
        .anyMatch(f -> f.getClassName().equals(className) && f.getMethodName().equals(method));
  }

  static String trace(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  /** Polls a condition that another process makes true; the class timeout bounds it. */
  static void awaitUntil(java.util.function.BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      Tasks.sleep(20);
    }
  }
}
