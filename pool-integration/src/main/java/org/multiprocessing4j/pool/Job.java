package org.multiprocessing4j.pool;

/**
 * One task frame's worth of work: its serialized payload and who to tell when it is done. The
 * fields below the constructor are guarded by the pool's lock ({@link PoolScheduler} sets them).
 */
final class Job {
  /** Receives a job's outcome exactly once, on a pool thread, never under the pool's lock. */
  interface Listener {
    void succeeded(Object result);

    /** The task's exception, a {@link ProcessPoolException}, or a cancellation. */
    void failed(Throwable failure);
  }

  final long id;
  final Listener listener;
  byte[] payload;
  // The submitted task itself: shared objects it references stay referenced in this JVM until the
  // worker has deserialized its copy (and so taken its own reference).
  Object keepAlive;

  PoolScheduler.Worker worker; // the worker it was sent to, or null while queued
  boolean finished; // outcome delivered (or about to be): never deliver twice

  Job(long id, byte[] payload, Object keepAlive, Listener listener) {
    this.id = id;
    this.payload = payload;
    this.keepAlive = keepAlive;
    this.listener = listener;
  }

  @Override
  public String toString() {
    return "Job#" + id;
  }
}
