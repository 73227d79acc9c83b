package org.multiprocessing4j.pool;

/**
 * A failure of the pool's machinery rather than of a task's own code: a worker that could not be
 * started, a result that could not be read back. The subclasses name the common cases: {@link
 * WorkerDiedException} and {@link TaskSerializationException}. An exception thrown by a task is
 * never wrapped in this type: it arrives as itself.
 */
public class ProcessPoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProcessPoolException(String message) {
    super(message);
  }

  public ProcessPoolException(String message, Throwable cause) {
    super(message, cause);
  }
}
