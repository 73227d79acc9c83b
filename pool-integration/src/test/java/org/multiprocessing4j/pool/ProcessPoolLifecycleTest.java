package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.testsupport.WithManager;

/** Spec §3.16/§4.9 cases about a pool's own life: each test starts (and ends) a small pool. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager // one manager for the class, closed after its last test
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessPoolLifecycleTest {
  private final Manager m;

  ProcessPoolLifecycleTest(Manager m) {
    this.m = m;
  }

  private ProcessPool.Builder small(int processes) {
    return ProcessPool.builder()
        .processes(processes)
        .manager(m)
        .jvmOptions(ProcessPoolConformanceTest.TEST_JVM);
  }

  // 77. test_empty_iterable's close/join, and Python's ValueErrors as IllegalStateException
  @Test
  void close_letsQueuedTasksFinish_thenRefusesWork() throws Exception {
    ProcessPool pool = small(1).start();
    IllegalStateException running = assertThrows(IllegalStateException.class, pool::join);
    assertEquals("Pool is still running", running.getMessage());

    List<AsyncResult<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      results.add(pool.applyAsync(() -> Tasks.sqr(n, 50)));
    }
    pool.close(); // waits for the five queued tasks
    for (int i = 0; i < 5; i++) {
      assertTrue(results.get(i).ready());
      assertEquals(i * i, (int) results.get(i).get());
    }
    IllegalStateException closed =
        assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
    assertEquals("Pool not running", closed.getMessage());
    assertThrows(IllegalStateException.class, () -> pool.map(Tasks::sqr, List.<Integer>of()));
    assertThrows(IllegalStateException.class, () -> pool.imap(Tasks::sqr, List.of(1)));
    pool.join(); // after close: returns at once
    pool.close(); // idempotent
    pool.terminate(); // no-op after close
    assertTrue(pool.asExecutorService().isTerminated());
  }

  @Test
  void executorView_shutdown_isACloseThatDoesNotWait() throws Exception {
    ProcessPool pool = small(1).start();
    ExecutorService executor = pool.asExecutorService();
    SharedQueue<String> done = m.queue();
    executor.execute(
        (Runnable & java.io.Serializable)
            () -> {
              Tasks.sleep(200);
              done.add("done");
            });
    executor.shutdown();
    assertTrue(executor.isShutdown());
    assertThrows(
        RejectedExecutionException.class,
        () ->
            executor.submit(
                (java.util.concurrent.Callable<Integer> & java.io.Serializable) () -> 1));
    assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
    assertTrue(executor.awaitTermination(60, TimeUnit.SECONDS));
    assertTrue(executor.isTerminated());
    assertEquals("done", done.poll());
    pool.join();
  }

  // 76. test_terminate: kills busy workers at once; their results are cancelled
  @Test
  void terminate_killsTheWorkers_andCancelsResults() throws Exception {
    ProcessPool pool = small(2).start();
    SharedQueue<Long> started = m.queue();
    AsyncResult<List<Object>> result =
        pool.mapAsync(
            i -> {
              started.add(ProcessHandle.current().pid());
              try {
                Tasks.blockUntilInterrupted();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return i;
            },
            new ArrayList<>(java.util.Collections.nCopies(100, 0)),
            1);
    Set<Long> busy = new HashSet<>();
    busy.add(started.take());
    busy.add(started.take());
    pool.terminate();
    pool.join();
    assertTrue(result.isCancelled());
    assertThrows(CancellationException.class, result::get);
    for (long pid : busy) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "alive: " + pid);
    }
    assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
    assertTrue(((PoolImpl) pool).workerPids().isEmpty());
  }

  // 82. _TestPoolWorkerLifetime and TestInitializers: recycling, and the initializer in every
  // worker
  @Test
  void maxTasksPerChild_recyclesWorkers_andEachRunsTheInitializer() throws Exception {
    SharedList<Long> initialized = m.list();
    ProcessPool pool =
        small(2)
            .maxTasksPerChild(2)
            .initializer(() -> initialized.add(ProcessHandle.current().pid()))
            .start();
    List<AsyncResult<Long>> results = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      results.add(
          pool.applyAsync(
              () -> {
                Tasks.sleep(10);
                return Tasks.pid();
              }));
    }
    Map<Long, Integer> tasksPerPid = new HashMap<>();
    for (AsyncResult<Long> r : results) {
      tasksPerPid.merge(r.get(), 1, Integer::sum);
    }
    assertTrue(tasksPerPid.values().stream().allMatch(n -> n <= 2), tasksPerPid.toString());
    assertTrue(tasksPerPid.size() >= 5, tasksPerPid.toString());
    assertTrue(initialized.containsAll(tasksPerPid.keySet()), initialized + " vs " + tasksPerPid);

    // test_pool_worker_lifetime_early_close: close while workers are being recycled
    List<AsyncResult<Integer>> late = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = i;
      late.add(pool.applyAsync(() -> Tasks.sqr(n, 20)));
    }
    pool.close();
    for (int i = 0; i < 6; i++) {
      assertEquals(i * i, (int) late.get(i).get());
    }
  }

  @Test
  void initializerThatThrows_failsStart_withItsException() {
    ProcessPoolException e =
        assertThrows(
            ProcessPoolException.class,
            () ->
                small(1)
                    .initializer(
                        () -> {
                          throw new IllegalStateException("init boom");
                        })
                    .start());
    IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("init boom", cause.getMessage());
  }

  @Test
  void replacementWhoseInitializerFails_failsTheWaitingTasks_insteadOfHanging() throws Exception {
    SharedValue<Integer> starts = m.value(0);
    ProcessPool pool =
        small(1)
            .maxTasksPerChild(1)
            .initializer(
                () -> {
                  if (starts.addAndGet(1) > 1) {
                    throw new IllegalStateException("only the first worker may start");
                  }
                })
            .start();
    try {
      assertEquals(1, (int) pool.apply(() -> 1)); // its worker retires; the replacement fails
      ProcessPoolException e = assertThrows(ProcessPoolException.class, () -> pool.apply(() -> 2));
      assertTrue(e.getMessage().contains("no worker could be started"), e.getMessage());
      assertTrue(ProcessPoolConformanceTest.trace(e).contains("only the first worker may start"));
    } finally {
      pool.terminate();
      pool.join();
    }
  }

  /** The transport used where Unix domain sockets cannot be made. */
  @Test
  void loopbackTcpTransport_works() throws Exception {
    ProcessPool.Builder builder = small(1);
    builder.loopbackTcp = true;
    try (ProcessPool pool = builder.start()) {
      assertTrue(((PoolImpl) pool).address().startsWith("tcp:"), ((PoolImpl) pool).address());
      assertEquals(
          ProcessPoolConformanceTest.squares(10),
          pool.map(Tasks::sqr, ProcessPoolConformanceTest.range(10), 2));
      SharedList<Integer> shared = m.list();
      pool.apply(() -> shared.add(7));
      assertEquals(List.of(7), new ArrayList<>(shared));
    }
  }

  /** Python's most common pool mistake, with a clear error instead of a hang or a KeyError. */
  @Test
  void sharedObjectInATask_withoutTheManager_failsWithAHint() {
    SharedList<Integer> list = m.list();
    try (ProcessPool pool =
        ProcessPool.builder()
            .processes(1)
            .jvmOptions(ProcessPoolConformanceTest.TEST_JVM)
            .start()) {
      TaskSerializationException e =
          assertThrows(TaskSerializationException.class, () -> pool.apply(list::size));
      assertTrue(e.getMessage().contains("ProcessPool.builder().manager(m)"), e.getMessage());
      assertEquals(1, (int) pool.apply(() -> 1)); // the worker is fine
    }
  }

  @Test
  void badJvmOption_failsStart_withTheExitCode() {
    ProcessPoolException e =
        assertThrows(
            ProcessPoolException.class,
            () ->
                ProcessPool.builder().processes(1).jvmOptions("-XX:+NoSuchOptionForMp4j").start());
    assertTrue(e.getMessage().contains("exited before connecting (exit code 1)"), e.getMessage());
  }
}
