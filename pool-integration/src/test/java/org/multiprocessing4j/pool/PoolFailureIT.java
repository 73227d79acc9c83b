package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.testsupport.ChildJvm;

/** How a pool fails, and recovers, with real worker JVMs and a manager in its own JVM. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolFailureIT {

  @Test
  void taskThrowingIllegalArgumentException_surfacesAsThatType_withTheWorkersTrace()
      throws Exception {
    try (ProcessPool pool = ProcessPool.builder().processes(1).start()) {
      IllegalArgumentException thrown =
          assertThrows(
              IllegalArgumentException.class,
              () -> pool.apply(() -> Tasks.raiseIllegalArgument("bad")));
      assertEquals("bad", thrown.getMessage());
      assertTrue(
          ProcessPoolConformanceTest.hasFrame(
              thrown, Tasks.class.getName(), "raiseIllegalArgument"));
      assertTrue(ProcessPoolConformanceTest.hasFrame(thrown, WorkerMain.class.getName(), "main"));

      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              pool.applyAsync(() -> Tasks.raiseIllegalArgument("async"))::get);
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
      assertTrue(
          ProcessPoolConformanceTest.hasFrame(e.getCause(), WorkerMain.class.getName(), "main"));
    }
  }

  @Test
  void workerKilledMidTask_failsOnlyThatTask_andTheNextHundredSucceed() throws Exception {
    try (Manager m = Manager.start();
        ProcessPool pool = ProcessPool.builder().processes(4).manager(m).start()) {
      SharedQueue<Long> victimPid = m.queue();
      SharedQueue<Long> bystanderPids = m.queue();
      SharedEvent release = m.event();
      AsyncResult<String> victim =
          pool.applyAsync(
              () -> {
                victimPid.add(ProcessHandle.current().pid());
                release.await();
                return "victim";
              });
      List<AsyncResult<String>> bystanders = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        bystanders.add(
            pool.applyAsync(
                () -> {
                  bystanderPids.add(ProcessHandle.current().pid());
                  release.await();
                  return "bystander";
                }));
      }
      long pid = victimPid.take();
      for (int i = 0; i < 3; i++) {
        bystanderPids.take(); // every worker is busy now
      }

      assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly()); // kill -9
      ExecutionException e = assertThrows(ExecutionException.class, victim::get);
      WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
      assertEquals(pid, died.workerPid());
      assertEquals(137, died.exitCode());
      assertTrue(died.getMessage().contains("SIGKILL"), died.getMessage());

      release.set();
      for (AsyncResult<String> b : bystanders) {
        assertEquals("bystander", b.get());
      }
      List<Integer> inputs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        inputs.add(i);
      }
      List<AsyncResult<Long>> next = new ArrayList<>();
      for (int i : inputs) {
        next.add(pool.applyAsync(() -> Tasks.pid() + i * 0L));
      }
      for (AsyncResult<Long> r : next) {
        long ranOn = r.get();
        assertTrue(ranOn != pid, "ran on the killed worker");
      }
      // the killed worker was replaced
      ProcessPoolConformanceTest.awaitUntil(() -> ((PoolImpl) pool).workerPids().size() == 4);
      assertFalse(((PoolImpl) pool).workerPids().contains(pid));
    }
  }

  @Test
  void maxTasksPerChildTwo_recyclesWorkers() throws Exception {
    try (ProcessPool pool = ProcessPool.builder().processes(2).maxTasksPerChild(2).start()) {
      List<AsyncResult<Long>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        results.add(pool.applyAsync(Tasks::pid));
      }
      Map<Long, Integer> tasksPerPid = new HashMap<>();
      for (AsyncResult<Long> r : results) {
        tasksPerPid.merge(r.get(), 1, Integer::sum);
      }
      assertTrue(tasksPerPid.size() >= 6, tasksPerPid.toString());
      assertTrue(tasksPerPid.values().stream().allMatch(n -> n <= 2), tasksPerPid.toString());
    }
  }

  @Test
  void parentKilled_noWorkerSurvives() throws Exception {
    try (ChildJvm parent = ChildJvm.start(PoolParentMain.class, "3")) {
      String line = parent.awaitLine(PoolParentMain.WORKERS, Duration.ofMinutes(2));
      long[] pids = Arrays.stream(line.split(" ")).mapToLong(Long::parseLong).toArray();
      assertEquals(3, pids.length, parent.output());
      for (long pid : pids) {
        assertTrue(
            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "not running: " + pid);
      }
      parent.killHard();
      for (long pid : pids) {
        ProcessHandle.of(pid)
            .ifPresent(
                worker -> {
                  try {
                    worker.onExit().get(60, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    throw new AssertionError("worker " + pid + " survived its parent", e);
                  }
                });
        assertFalse(
            ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "alive: " + pid);
      }
    }
  }
}
