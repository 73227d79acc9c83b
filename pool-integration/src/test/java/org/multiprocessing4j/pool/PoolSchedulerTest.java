package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.pool.PoolScheduler.Answer;
import org.multiprocessing4j.pool.PoolScheduler.WorkerEvent;
import org.multiprocessing4j.pool.PoolScheduler.WorkerState;

/**
 * The pool's rules without a JVM: fake workers (ids), a fake clock, and the exact effects each
 * event returns, written as short lines ({@link #lines}).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PoolSchedulerTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private long now = 1_000 * SECOND;
  private long nextJobId = 1;

  private PoolScheduler scheduler(int processes, int maxTasksPerChild) {
    return new PoolScheduler(processes, maxTasksPerChild, () -> now);
  }

  private List<Job> jobs(int count) {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = nextJobId++;
      jobs.add(new Job(id, new byte[] {(byte) id}, "task " + id, null));
    }
    return jobs;
  }

  /** A started pool whose workers are all ready. */
  private PoolScheduler ready(int processes, int maxTasksPerChild) {
    PoolScheduler scheduler = scheduler(processes, maxTasksPerChild);
    scheduler.start();
    for (long w = 0; w < processes; w++) {
      assertEquals(List.of(), lines(scheduler.workerReady(w)));
    }
    assertTrue(scheduler.startupComplete());
    return scheduler;
  }

  @Test
  void start_startsEveryWorker_andTasksWaitUntilOneIsReady() {
    PoolScheduler scheduler = scheduler(2, 0);
    assertEquals(List.of("start w0", "start w1"), lines(scheduler.start()));
    List<Job> jobs = jobs(3);
    assertEquals(List.of(), lines(scheduler.submit(jobs)));
    assertEquals(List.of("task #1 -> w1", "task #2 -> w1"), lines(scheduler.workerReady(1)));
    assertEquals(List.of("task #3 -> w0"), lines(scheduler.workerReady(0)));
    assertEquals(2, scheduler.workersReady());
  }

  @Test
  void submit_servesIdleWorkersFirst_thenASecondJobEach_andQueuesTheRest() {
    PoolScheduler scheduler = ready(2, 0);
    assertEquals(
        List.of("task #1 -> w0", "task #2 -> w1", "task #3 -> w0", "task #4 -> w1"),
        lines(scheduler.submit(jobs(5))));
    assertEquals(1, scheduler.queued());
    // An answer frees a slot: the queue's head goes to that worker.
    assertEquals(
        List.of("#1 = 1", "task #5 -> w0"), lines(scheduler.resultArrived(0, Answer.value(1, 1))));
  }

  @Test
  void workerDyingWithTwoJobsInFlight_failsTheRunningOne_andRequeuesTheOtherAtTheHead() {
    PoolScheduler scheduler = ready(2, 0);
    List<Job> jobs = jobs(5); // w0: #1 running, #3 sent; w1: #2, #4; queued: #5
    scheduler.submit(jobs);

    List<PoolEffect> effects = scheduler.workerExited(0, 4242, 137);
    assertEquals(
        List.of(
            "#1 failed: WorkerDiedException: worker pid 4242 died while running this task"
                + " (exit code 137, killed by signal 9 (SIGKILL)); the pool replaced it",
            "start w2"),
        lines(effects));
    WorkerDiedException died =
        assertInstanceOf(
            WorkerDiedException.class, ((PoolEffect.Deliver) effects.get(0)).failure());
    assertEquals(4242, died.workerPid());
    assertEquals(137, died.exitCode());
    assertEquals(null, jobs.get(0).keepAlive); // its shared objects may be freed now

    // #3 never started: it runs next, before #5, on whichever worker frees up first.
    assertEquals(
        List.of("#2 = two", "task #3 -> w1"),
        lines(scheduler.resultArrived(1, Answer.value(2, "two"))));
    assertEquals(List.of("task #5 -> w2"), lines(scheduler.workerReady(2)));
  }

  @Test
  void workerThatRanOutOfMemory_isKilled_andItsSecondJobRunsElsewhere() {
    PoolScheduler scheduler = ready(2, 0);
    scheduler.submit(jobs(4)); // w0: #1, #3; w1: #2, #4

    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    assertEquals(
        List.of("#1 failed: OutOfMemoryError: Java heap space", "kill w0", "start w2"),
        lines(scheduler.resultArrived(0, Answer.failure(1, oom, true))));
    // Its exit is expected: #3 (not started) goes back; nothing fails, nothing is logged.
    assertEquals(List.of(), lines(scheduler.workerExited(0, 4242, 137)));
    assertEquals(List.of("task #3 -> w2"), lines(scheduler.workerReady(2)));
  }

  @Test
  void unexpectedExitOfAnIdleWorker_isLogged_andTheWorkerReplaced() {
    PoolScheduler scheduler = ready(1, 0);
    assertEquals(
        List.of(
            "log WARNING: ProcessPool worker 0 (pid 4242) exited unexpectedly (exit code 1);"
                + " replacing it",
            "start w1"),
        lines(scheduler.workerExited(0, 4242, 1)));
  }

  @Test
  void failedStart_backsOffFiveSeconds_whileAnotherWorkerRuns() {
    PoolScheduler scheduler = ready(2, 0);
    assertEquals(
        List.of(
            "log WARNING: ProcessPool worker 1 (pid 11) exited unexpectedly (exit code 1);"
                + " replacing it",
            "start w2"),
        lines(scheduler.workerExited(1, 11, 1)));
    ProcessPoolException failure = new ProcessPoolException("no memory for a JVM");
    assertEquals(
        List.of("log WARNING: a ProcessPool worker failed to start"),
        lines(scheduler.workerStartFailed(2, failure)));
    assertEquals(failure, scheduler.startFailure());

    now += 5 * SECOND - 1;
    assertEquals(List.of("task #1 -> w0"), lines(scheduler.submit(jobs(1))));
    now += 1;
    assertEquals(List.of("start w3", "task #2 -> w0"), lines(scheduler.submit(jobs(1))));
    // Failing again: the next attempt waits another five seconds.
    assertEquals(
        List.of("log WARNING: a ProcessPool worker failed to start"),
        lines(scheduler.workerStartFailed(3, failure)));
    assertEquals(List.of(), lines(scheduler.submit(jobs(1)))); // #3 waits for a slot of w0
    now += 5 * SECOND;
    assertEquals(
        List.of("#1 = 1", "start w4", "task #3 -> w0"),
        lines(scheduler.resultArrived(0, Answer.value(1, 1))));
    // A successful start ends the back-off.
    assertEquals(List.of(), lines(scheduler.workerReady(4)));
    assertEquals(null, scheduler.startFailure());
  }

  @Test
  void failedStart_withNoWorkerLeft_failsQueuedJobs_andProbesAtOnceForNewWork() {
    PoolScheduler scheduler = ready(1, 0);
    scheduler.submit(jobs(4)); // w0: #1, #2; queued: #3, #4
    assertEquals(
        List.of(
            "#1 failed: WorkerDiedException: worker pid 7 died while running this task"
                + " (exit code 137, killed by signal 9 (SIGKILL)); the pool replaced it",
            "start w1"),
        lines(scheduler.workerExited(0, 7, 137)));
    ProcessPoolException failure = new ProcessPoolException("cannot start a worker JVM: ENOMEM");
    assertEquals(
        List.of(
            "log WARNING: a ProcessPool worker failed to start",
            "#2 failed: ProcessPoolException: no worker could be started to run this task:"
                + " cannot start a worker JVM: ENOMEM",
            "#3 failed: ProcessPoolException: no worker could be started to run this task:"
                + " cannot start a worker JVM: ENOMEM",
            "#4 failed: ProcessPoolException: no worker could be started to run this task:"
                + " cannot start a worker JVM: ENOMEM"),
        lines(scheduler.workerStartFailed(1, failure)));
    assertEquals(0, scheduler.queued());
    // No worker and new work: one attempt now, not in five seconds.
    assertEquals(List.of("start w2"), lines(scheduler.submit(jobs(1))));
    assertEquals(List.of("task #5 -> w2"), lines(scheduler.workerReady(2)));
  }

  @Test
  void failedStartBeforeThePoolStarted_isNotLogged_theCallerSeesIt() {
    PoolScheduler scheduler = scheduler(2, 0);
    scheduler.start();
    IllegalStateException cause = new IllegalStateException("no config file");
    ProcessPoolException failure = new ProcessPoolException("initializer failed", cause);
    assertEquals(List.of(), lines(scheduler.workerStartFailed(0, failure)));
    assertEquals(failure, scheduler.startFailure());
    ProcessPoolException startup = scheduler.startupFailure();
    assertEquals("the pool could not start: initializer failed", startup.getMessage());
    assertEquals(cause, startup.getCause());
    assertFalse(scheduler.startupComplete());
  }

  @Test
  void startup_completesWhenEveryInitialWorkerIsReady_andFailsIfTerminatedBefore() {
    PoolScheduler scheduler = scheduler(2, 0);
    scheduler.start();
    assertFalse(scheduler.startupComplete());
    assertEquals(null, scheduler.startupFailure());
    scheduler.workerReady(1);
    assertFalse(scheduler.startupComplete());
    scheduler.workerReady(0);
    assertTrue(scheduler.startupComplete());

    PoolScheduler terminated = scheduler(1, 0);
    terminated.start();
    terminated.terminate();
    assertEquals(
        "the pool was terminated while starting", terminated.startupFailure().getMessage());
    assertFalse(terminated.startupComplete());
  }

  @Test
  void startFailureAfterThePoolStarted_isLogged_andTheCallerOfStartNeverSeesIt() {
    PoolScheduler scheduler = ready(1, 0);
    scheduler.workerExited(0, 10, 0); // replaced by w1
    // Logged; no work waits, so no new attempt before the back-off ends (there is no timer).
    assertEquals(
        List.of("log WARNING: a ProcessPool worker failed to start"),
        lines(scheduler.workerStartFailed(1, new ProcessPoolException("ENOMEM"))));
    assertTrue(scheduler.startupComplete()); // a later failure is not the start's
  }

  @Test
  void maxTasksPerChild_retiresAWorkerAfterItsQuota_andStartsAnother() {
    PoolScheduler scheduler = ready(1, 2);
    // The quota caps what is sent: #3 waits for the replacement.
    assertEquals(List.of("task #1 -> w0", "task #2 -> w0"), lines(scheduler.submit(jobs(3))));
    assertEquals(List.of("#1 = 1"), lines(scheduler.resultArrived(0, Answer.value(1, 1))));
    assertEquals(
        List.of("#2 = 2", "start w1", "exit -> w0"),
        lines(scheduler.resultArrived(0, Answer.value(2, 2))));
    assertEquals(List.of(), lines(scheduler.workerExited(0, 4242, 0))); // expected: no warning
    assertEquals(List.of("task #3 -> w1"), lines(scheduler.workerReady(1)));
  }

  @Test
  void close_drainsTheQueue_thenTellsIdleWorkersToExit_thenStopsAccepting() {
    PoolScheduler scheduler = ready(2, 0);
    scheduler.submit(jobs(5)); // w0: #1, #3; w1: #2, #4; queued: #5
    assertEquals(List.of(), lines(scheduler.close()));
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> scheduler.submit(jobs(1)));
    assertEquals("Pool not running", refused.getMessage());

    assertEquals(
        List.of("#1 = 1", "task #5 -> w0"), lines(scheduler.resultArrived(0, Answer.value(1, 1))));
    assertEquals(List.of("#2 = 2"), lines(scheduler.resultArrived(1, Answer.value(2, 2))));
    assertEquals(
        List.of("#4 = 4", "exit -> w1"), lines(scheduler.resultArrived(1, Answer.value(4, 4))));
    assertEquals(List.of("#3 = 3"), lines(scheduler.resultArrived(0, Answer.value(3, 3))));
    assertEquals(
        List.of("#5 = 5", "exit -> w0"), lines(scheduler.resultArrived(0, Answer.value(5, 5))));
    assertEquals(List.of(), lines(scheduler.workerExited(1, 11, 0)));
    assertFalse(scheduler.drained());
    assertEquals(List.of("stop accepting"), lines(scheduler.workerExited(0, 10, 0)));
    assertTrue(scheduler.drained());
    assertEquals(List.of(), lines(scheduler.close())); // idempotent
  }

  @Test
  void close_withNothingQueued_tellsEveryIdleWorkerToExitAtOnce() {
    PoolScheduler scheduler = ready(2, 0);
    assertEquals(List.of("exit -> w0", "exit -> w1"), lines(scheduler.close()));
  }

  @Test
  void terminate_killsEveryWorker_listsTheUnstartedJobs_andCancelsEveryUnfinishedOne() {
    PoolScheduler scheduler = ready(1, 0);
    List<Job> jobs = jobs(5); // w0: #1, #2; queued: #3, #4, #5
    scheduler.submit(jobs);
    assertEquals(
        List.of("#4 failed: CancellationException: cancelled"),
        lines(
            scheduler.cancel(List.of(jobs.get(3)), true, new CancellationException("cancelled"))));

    PoolScheduler.Termination termination = scheduler.terminate();
    assertEquals(List.of(jobs.get(2), jobs.get(4)), termination.unstarted());
    assertEquals(
        List.of(
            "kill w0",
            "stop accepting",
            "#3 failed: CancellationException: the pool was terminated",
            "#5 failed: CancellationException: the pool was terminated",
            "#1 failed: CancellationException: the pool was terminated",
            "#2 failed: CancellationException: the pool was terminated"),
        lines(termination.effects()));
    assertEquals(PoolScheduler.PoolState.TERMINATED, scheduler.state());

    PoolScheduler.Termination again = scheduler.terminate();
    assertEquals(List.of(), again.unstarted());
    assertEquals(List.of(), again.effects());
    // The killed worker's exit: nothing more to deliver, nobody replaces it.
    assertEquals(List.of(), lines(scheduler.workerExited(0, 10, 137)));
    assertTrue(scheduler.drained());
  }

  @Test
  void cancellingASentJob_tellsItsWorker_andItsLateAnswerIsIgnored() {
    PoolScheduler scheduler = ready(1, 0);
    List<Job> jobs = jobs(3); // w0: #1, #2; queued: #3
    scheduler.submit(jobs);
    assertEquals(
        List.of("cancel #1 -> w0 (interrupt)", "#1 failed: CancellationException: stop"),
        lines(scheduler.cancel(List.of(jobs.get(0)), true, new CancellationException("stop"))));
    assertEquals(
        List.of("cancel #2 -> w0", "#2 failed: CancellationException: stop"),
        lines(scheduler.cancel(List.of(jobs.get(1)), false, new CancellationException("stop"))));
    // The worker still answers both, in order; the pool reads neither.
    assertFalse(scheduler.wantsAnswer(0, 1));
    assertEquals(
        List.of("task #3 -> w0"), lines(scheduler.resultArrived(0, Answer.unread(1, false))));
    assertEquals(List.of(), lines(scheduler.resultArrived(0, Answer.unread(2, false))));
    assertEquals(List.of(), lines(scheduler.cancel(List.of(jobs.get(0)), true, null))); // finished
  }

  @Test
  void anAnswerIsWanted_onlyForTheFirstJobSentToThatWorker_whileUnfinished() {
    PoolScheduler scheduler = ready(2, 0);
    scheduler.submit(jobs(3)); // w0: #1, #3; w1: #2
    assertTrue(scheduler.wantsAnswer(0, 1));
    assertFalse(scheduler.wantsAnswer(0, 3)); // sent second: answered after #1
    assertFalse(scheduler.wantsAnswer(1, 1)); // another worker's job
    assertFalse(scheduler.wantsAnswer(7, 1)); // no such worker
    scheduler.resultArrived(0, Answer.value(1, 1));
    assertTrue(scheduler.wantsAnswer(0, 3));
  }

  @Test
  void anAnswerToAJobOtherThanTheFirstSent_isAProtocolError_theWorkerIsKilled() {
    PoolScheduler scheduler = ready(1, 0);
    scheduler.submit(jobs(2));
    assertEquals(
        List.of("log ERROR: ProcessPool worker 0 answered task 2, not Job#1", "kill w0"),
        lines(scheduler.resultArrived(0, Answer.value(2, 2))));
  }

  @Test
  void aTaskThatCouldNotBeWritten_goesBackToTheHead_andTheWorkerIsReplaced() {
    PoolScheduler scheduler = ready(2, 0);
    List<Job> jobs = jobs(4); // w0: #1, #3; w1: #2, #4
    scheduler.submit(jobs);
    // w1 takes no more tasks and is replaced; w0 has no free slot: #4 waits at the head.
    assertEquals(List.of("start w2"), lines(scheduler.taskNotDelivered(1, jobs.get(3))));
    assertEquals(
        List.of("#1 = 1", "task #4 -> w0"), lines(scheduler.resultArrived(0, Answer.value(1, 1))));
    // The broken worker's exit is expected: #2 fails as the task it was running.
    assertEquals(
        List.of(
            "#2 failed: WorkerDiedException: worker pid 11 died while running this task"
                + " (exit code 0); the pool replaced it"),
        lines(scheduler.workerExited(1, 11, 0)));
  }

  @Test
  void workerStates_changeOnlyAlongTheirLife() {
    assertEquals(WorkerState.READY, WorkerState.STARTING.after(WorkerEvent.CONNECTED));
    assertEquals(WorkerState.STARTING, WorkerState.STARTING.after(WorkerEvent.RETIRE));
    assertEquals(WorkerState.GONE, WorkerState.STARTING.after(WorkerEvent.ENDED));
    assertEquals(WorkerState.READY, WorkerState.READY.after(WorkerEvent.CONNECTED));
    assertEquals(WorkerState.RETIRING, WorkerState.READY.after(WorkerEvent.RETIRE));
    assertEquals(WorkerState.GONE, WorkerState.READY.after(WorkerEvent.ENDED));
    assertEquals(WorkerState.RETIRING, WorkerState.RETIRING.after(WorkerEvent.CONNECTED));
    assertEquals(WorkerState.RETIRING, WorkerState.RETIRING.after(WorkerEvent.RETIRE));
    assertEquals(WorkerState.GONE, WorkerState.RETIRING.after(WorkerEvent.ENDED));
    for (WorkerEvent event : WorkerEvent.values()) {
      assertEquals(WorkerState.GONE, WorkerState.GONE.after(event));
    }
  }

  /** Effects as short lines: what to compare, and what a failing test prints. */
  private static List<String> lines(List<PoolEffect> effects) {
    List<String> lines = new ArrayList<>();
    for (PoolEffect effect : effects) {
      lines.add(line(effect));
    }
    return lines;
  }

  private static String line(PoolEffect effect) {
    if (effect instanceof PoolEffect.StartWorker start) {
      return "start w" + start.worker();
    } else if (effect instanceof PoolEffect.SendTask task) {
      return "task #" + task.job().id + " -> w" + task.worker();
    } else if (effect instanceof PoolEffect.SendCancel cancel) {
      return "cancel #"
          + cancel.job().id
          + " -> w"
          + cancel.worker()
          + (cancel.interrupt() ? " (interrupt)" : "");
    } else if (effect instanceof PoolEffect.SendExit exit) {
      return "exit -> w" + exit.worker();
    } else if (effect instanceof PoolEffect.KillWorker kill) {
      return "kill w" + kill.worker();
    } else if (effect instanceof PoolEffect.Deliver deliver) {
      Throwable failure = deliver.failure();
      return "#"
          + deliver.job().id
          + (failure == null
              ? " = " + deliver.value()
              : " failed: " + failure.getClass().getSimpleName() + ": " + failure.getMessage());
    } else if (effect instanceof PoolEffect.Log log) {
      return "log " + log.level() + ": " + log.message();
    } else if (effect instanceof PoolEffect.StopAccepting) {
      return "stop accepting";
    }
    throw new AssertionError(effect);
  }
}
