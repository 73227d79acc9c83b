package org.multiprocessing4j.pool;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The {@link PoolScheduler} behind the pool's one lock: every event (a submission, a worker's
 * report, a frame that could not be written, close, terminate) runs under the lock, its effects are
 * planned under it and performed outside it by the {@link EffectPerformer}; threads that wait for
 * the scheduler to reach a state (started, drained) wait on the lock's condition, signalled after
 * every event. It decides nothing itself.
 *
 * <p>Thread-safe. {@link #lock} guards {@link #scheduler}, the {@link EffectPerformer}'s map of
 * handles and {@link #exitsBeingReported}; {@link EffectPerformer#perform} runs outside it.
 */
final class LockedScheduler
    implements Submissions.Scheduling, WorkerHandle.Reports, EffectPerformer.Pool {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition(); // signalled after every event
  private final PoolScheduler scheduler; // guarded by lock
  private final EffectPerformer effects; // plan, forget, workerPids under lock; perform outside
  private final Runnable stopAccepting;
  // Workers gone from the scheduler whose thread still delivers the outcome of the task it ran:
  // the pool is not quiet before they are done, so that the task's future is done by then.
  private int exitsBeingReported; // guarded by lock

  /**
   * @param newWorker makes the handle of each worker the scheduler starts; it reports to this
   * @param stopAccepting closes the socket workers connect to
   */
  LockedScheduler(PoolScheduler scheduler, WorkerHandle.Factory newWorker, Runnable stopAccepting) {
    this.scheduler = scheduler;
    this.effects = new EffectPerformer(id -> newWorker.create(id, this), this);
    this.stopAccepting = stopAccepting;
  }

  /** Runs one scheduler event under the lock, then performs its effects outside it. */
  private void event(Supplier<List<PoolEffect>> event) {
    List<EffectPerformer.Step> steps;
    lock.lock();
    try {
      steps = plan(event.get());
    } finally {
      lock.unlock();
    }
    effects.perform(steps);
  }

  /** Under the lock: plans the effects and wakes the waiters. */
  private List<EffectPerformer.Step> plan(List<PoolEffect> planned) {
    changed.signalAll();
    return effects.plan(planned);
  }

  // ---------------------------------------------------------------- the pool's events

  /** The pool starts its initial workers. */
  void start() {
    event(scheduler::start);
  }

  /** Python's {@code close()}: no new jobs; workers exit once the queue is done. */
  void close() {
    event(scheduler::close);
  }

  /** Kills every worker and cancels every unfinished job; returns the jobs that never started. */
  List<Job> terminate() {
    PoolScheduler.Termination termination;
    List<EffectPerformer.Step> steps;
    lock.lock();
    try {
      termination = scheduler.terminate();
      steps = plan(termination.effects());
    } finally {
      lock.unlock();
    }
    effects.perform(steps);
    return termination.unstarted();
  }

  // ---------------------------------------------------------------- Submissions.Scheduling

  @Override
  public void checkRunning() {
    lock.lock();
    try {
      scheduler.checkRunning();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void submit(List<Job> jobs) {
    event(() -> scheduler.submit(jobs));
  }

  @Override
  public void cancel(Collection<Job> jobs, boolean interrupt, CancellationException reason) {
    event(() -> scheduler.cancel(jobs, interrupt, reason));
  }

  // ---------------------------------------------------------------- EffectPerformer.Pool

  @Override
  public void taskNotDelivered(long worker, Job job) {
    event(() -> scheduler.taskNotDelivered(worker, job));
  }

  @Override
  public void stopAccepting() {
    stopAccepting.run();
  }

  // ---------------------------------------------------------------- WorkerHandle.Reports

  @Override
  public void ready(WorkerHandle worker) {
    event(() -> scheduler.workerReady(worker.id));
  }

  @Override
  public void startFailed(WorkerHandle worker, ProcessPoolException failure) {
    event(
        () -> {
          effects.forget(worker.id);
          return scheduler.workerStartFailed(worker.id, failure);
        });
  }

  @Override
  public boolean wantsAnswer(WorkerHandle worker, long jobId) {
    lock.lock();
    try {
      return scheduler.wantsAnswer(worker.id, jobId);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void answered(WorkerHandle worker, PoolScheduler.Answer answer) {
    event(() -> scheduler.resultArrived(worker.id, answer));
  }

  @Override
  public void exited(WorkerHandle worker, int exitCode) {
    long pid = worker.pid();
    List<EffectPerformer.Step> steps;
    lock.lock();
    try {
      effects.forget(worker.id);
      steps = plan(scheduler.workerExited(worker.id, pid, exitCode));
      exitsBeingReported++;
    } finally {
      lock.unlock();
    }
    try {
      effects.perform(steps);
    } finally {
      lock.lock();
      try {
        exitsBeingReported--;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  // ---------------------------------------------------------------- waiting

  /**
   * Waits until every initial worker is ready.
   *
   * @return null once they are; else why the start failed (a worker's start failure, a termination,
   *     the timeout, an interrupt, which is then set again)
   */
  ProcessPoolException awaitStartup(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        ProcessPoolException failure = scheduler.startupFailure();
        if (failure != null) {
          return failure;
        }
        if (scheduler.startupComplete()) {
          return null;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return new ProcessPoolException(
              "the pool's workers were not ready within "
                  + timeout
                  + " ("
                  + scheduler.workersReady()
                  + " of "
                  + scheduler.processes()
                  + " ready)");
        }
        try {
          changed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new ProcessPoolException("interrupted while starting the pool", e);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the pool is closed or terminated and quiet: no worker left, nothing queued, every
   * exit reported.
   *
   * @param nanos how long to wait at most; negative for no limit
   * @return false if the time ran out first
   * @throws IllegalStateException "Pool is still running" if {@code nanos} is negative and the pool
   *     is neither closed nor terminated (it would wait forever)
   */
  boolean awaitQuiet(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    lock.lock();
    try {
      if (nanos < 0 && scheduler.state() == PoolScheduler.PoolState.RUNNING) {
        throw new IllegalStateException("Pool is still running");
      }
      while (!terminatedLocked()) {
        if (nanos < 0) {
          changed.await();
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- queries

  boolean isShutdown() {
    lock.lock();
    try {
      return scheduler.state() != PoolScheduler.PoolState.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  boolean isTerminated() {
    lock.lock();
    try {
      return terminatedLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: closed or terminated, no worker left, nothing queued, every exit reported. */
  private boolean terminatedLocked() {
    return scheduler.state() != PoolScheduler.PoolState.RUNNING
        && scheduler.drained()
        && exitsBeingReported == 0;
  }

  /** The pids of the workers currently running or starting. */
  List<Long> workerPids() {
    lock.lock();
    try {
      return effects.workerPids();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "ProcessPool["
          + scheduler.state()
          + ", "
          + scheduler.workerIds().size()
          + " workers, "
          + scheduler.queued()
          + " queued]";
    } finally {
      lock.unlock();
    }
  }
}
