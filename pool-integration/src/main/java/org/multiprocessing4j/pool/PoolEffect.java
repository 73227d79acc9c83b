package org.multiprocessing4j.pool;

import java.lang.System.Logger.Level;

/**
 * Something the {@link PoolScheduler} decided and the pool performs outside its lock: a frame to
 * send, a worker to start or kill, an outcome to deliver, a line to log. Immutable values (the
 * {@link Job}s they name are the pool's).
 */
sealed interface PoolEffect {

  /** A frame for one worker; a worker's frames are sent in the order they were decided. */
  sealed interface Send extends PoolEffect {
    long worker();
  }

  /** Run {@code job} after the tasks sent before it. */
  record SendTask(long worker, Job job) implements Send {}

  /** Skip {@code job} if it has not started; interrupt it if it runs and {@code interrupt}. */
  record SendCancel(long worker, Job job, boolean interrupt) implements Send {}

  /** Exit: the worker has no task and will get none. */
  record SendExit(long worker) implements Send {}

  /**
   * Launch a worker JVM with this id; it reports {@code workerReady} or {@code workerStartFailed}.
   */
  record StartWorker(long worker) implements PoolEffect {}

  /** Kill the worker's JVM; it reports {@code workerExited}. */
  record KillWorker(long worker) implements PoolEffect {}

  /** Tell the job's listener its outcome: {@code value} if {@code failure} is null. */
  record Deliver(Job job, Object value, Throwable failure) implements PoolEffect {
    static Deliver success(Job job, Object value) {
      return new Deliver(job, value, null);
    }

    static Deliver failure(Job job, Throwable failure) {
      return new Deliver(job, null, failure);
    }
  }

  /** Something the user should see in the log. */
  record Log(Level level, String message, Throwable cause) implements PoolEffect {}

  /** The pool is done: stop accepting workers' connections. */
  record StopAccepting() implements PoolEffect {}
}
