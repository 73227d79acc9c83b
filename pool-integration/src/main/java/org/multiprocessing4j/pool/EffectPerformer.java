package org.multiprocessing4j.pool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Does what the {@link PoolScheduler} decided, in two steps. {@link #plan} runs under the pool's
 * lock: a worker to start gets its {@link WorkerHandle}, a frame gets its worker's next ticket (so
 * each worker receives its frames in the order the lock decided them) and its payload. {@link
 * #perform} runs outside the lock: writes the frames, starts and kills JVMs, calls the jobs'
 * listeners, logs.
 *
 * <p>Thread safety: {@link #plan}, {@link #forget} and {@link #workerPids} must be called under the
 * pool's lock (they use the map of handles); {@link #perform} must not be (it does I/O and calls
 * listeners) and may run on any thread.
 */
final class EffectPerformer {
  private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());
  private static final byte[] EMPTY = new byte[0];

  /** What performing needs from the pool. */
  interface Pool {
    /** A task frame could not be written: the task never ran (an event for the scheduler). */
    void taskNotDelivered(long worker, Job job);

    /** The pool is done: no more connections. */
    void stopAccepting();
  }

  /** An effect with what performing it needs, fixed under the lock. */
  // carries a payload to its sender; never compared
  @SuppressWarnings("ArrayRecordComponent")
  record Step(PoolEffect effect, WorkerHandle worker, long ticket, byte[] payload) {}

  private final LongFunction<WorkerHandle> newWorker;
  private final Pool pool;
  private final Map<Long, WorkerHandle> handles = new HashMap<>(); // the scheduler's workers

  EffectPerformer(LongFunction<WorkerHandle> newWorker, Pool pool) {
    this.newWorker = newWorker;
    this.pool = pool;
  }

  /** Under the lock: registers the workers to start and tickets the frames to send. */
  List<Step> plan(List<PoolEffect> effects) {
    List<Step> steps = new ArrayList<>(effects.size());
    for (PoolEffect effect : effects) {
      WorkerHandle worker = null;
      long ticket = -1;
      byte[] payload = EMPTY;
      if (effect instanceof PoolEffect.StartWorker start) {
        worker = newWorker.apply(start.worker());
        handles.put(worker.id, worker);
      } else if (effect instanceof PoolEffect.Send send) {
        worker = handles.get(send.worker());
        ticket = worker.nextTicketLocked();
        // A task's payload is read now: the job drops it once its outcome is delivered.
        if (send instanceof PoolEffect.SendTask task) {
          payload = task.job().payload;
        } else if (send instanceof PoolEffect.SendCancel cancel) {
          payload = new byte[] {(byte) (cancel.interrupt() ? 1 : 0)};
        }
      } else if (effect instanceof PoolEffect.KillWorker kill) {
        worker = handles.get(kill.worker());
      }
      steps.add(new Step(effect, worker, ticket, payload));
    }
    return steps;
  }

  /** Under the lock: the worker is gone from the scheduler. */
  void forget(long workerId) {
    handles.remove(workerId);
  }

  /** Under the lock: the pids of the workers running or starting. */
  List<Long> workerPids() {
    List<Long> pids = new ArrayList<>();
    for (WorkerHandle worker : handles.values()) {
      long pid = worker.pid();
      if (pid > 0) {
        pids.add(pid);
      }
    }
    return pids;
  }

  /** Outside the lock: does what the scheduler decided, in order. */
  void perform(List<Step> steps) {
    for (Step step : steps) {
      PoolEffect effect = step.effect();
      if (effect instanceof PoolEffect.StartWorker) {
        // Its own thread launches the JVM, then reads the worker's frames.
        Thread thread = new Thread(step.worker(), "mp4j-pool-worker-" + step.worker().id);
        thread.setDaemon(true);
        thread.start();
      } else if (effect instanceof PoolEffect.SendTask task) {
        try {
          step.worker().sendInOrder(step.ticket(), FrameKind.TASK, task.job().id, step.payload());
        } catch (IOException e) {
          // The connection broke before the task was sent: the task never ran, so it goes back.
          pool.taskNotDelivered(task.worker(), task.job());
        }
      } else if (effect instanceof PoolEffect.SendCancel cancel) {
        sendQuietly(step, FrameKind.CANCEL, cancel.job().id);
      } else if (effect instanceof PoolEffect.SendExit) {
        sendQuietly(step, FrameKind.EXIT, 0);
      } else if (effect instanceof PoolEffect.KillWorker) {
        if (step.worker() != null) {
          step.worker().kill();
        }
      } else if (effect instanceof PoolEffect.Deliver deliver) {
        deliver(deliver);
      } else if (effect instanceof PoolEffect.Log log) {
        LOG.log(log.level(), log.message(), log.cause());
      } else if (effect instanceof PoolEffect.StopAccepting) {
        pool.stopAccepting();
      }
    }
  }

  /** Frames other than tasks do not matter to a broken connection: the worker is gone. */
  private static void sendQuietly(Step step, FrameKind kind, long frameId) {
    try {
      step.worker().sendInOrder(step.ticket(), kind, frameId, step.payload());
    } catch (IOException e) {
      // the worker's thread sees the end of its connection
    }
  }

  /** Calls a job's listener; never under the lock. */
  private static void deliver(PoolEffect.Deliver deliver) {
    try {
      if (deliver.failure() == null) {
        deliver.job().listener.succeeded(deliver.value());
      } else {
        deliver.job().listener.failed(deliver.failure());
      }
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "delivering a ProcessPool result failed", e);
    }
  }
}
