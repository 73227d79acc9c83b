package org.multiprocessing4j.pool;

/**
 * The worker JVM running a task exited before the task finished: {@code System.exit}, {@code kill
 * -9}, a crash. Only the task that worker was running fails this way; the pool starts a replacement
 * and keeps working (Python's pool hangs instead).
 */
public final class WorkerDiedException extends ProcessPoolException {
  private static final long serialVersionUID = 1L;

  private final long workerPid;
  private final int exitCode;

  public WorkerDiedException(String message, long workerPid, int exitCode) {
    super(message);
    this.workerPid = workerPid;
    this.exitCode = exitCode;
  }

  /** The process id of the worker that died. */
  public long workerPid() {
    return workerPid;
  }

  /**
   * The worker's exit code; above 128 it died of signal {@code exitCode - 128} (137: {@code kill
   * -9}). {@code -1} if unknown.
   */
  public int exitCode() {
    return exitCode;
  }
}
