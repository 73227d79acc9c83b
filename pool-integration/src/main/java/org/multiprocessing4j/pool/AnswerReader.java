package org.multiprocessing4j.pool;

import java.io.IOException;

/**
 * Reads what workers send back, in the parent: a task's result or exception (as the same type, with
 * the worker's stack trace), resolving classes with the class loader of the code that started the
 * pool. A failure to read becomes the task's failure, never the worker's.
 *
 * <p>Thread-safe: immutable.
 */
final class AnswerReader {
  private final ClassLoader loader;

  AnswerReader(ClassLoader loader) {
    this.loader = loader;
  }

  /** The class loader of the calling thread's context, else the pool's own. */
  static AnswerReader forCaller() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return new AnswerReader(context != null ? context : AnswerReader.class.getClassLoader());
  }

  /**
   * A frame that {@linkplain FrameKind#answersTask answers a task}, as the scheduler takes it: read
   * only if {@code wanted} (nobody waits for a finished job's outcome).
   */
  PoolScheduler.Answer answer(Wire.Frame frame, boolean wanted) {
    boolean halts = frame.kind == FrameKind.FAILED_RETIRING;
    if (!wanted) {
      return PoolScheduler.Answer.unread(frame.id, halts);
    }
    if (frame.kind == FrameKind.RESULT || frame.kind == FrameKind.RESULT_HOLDING) {
      try {
        return PoolScheduler.Answer.value(frame.id, Wire.deserialize(frame.payload, loader));
      } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
        return PoolScheduler.Answer.failure(
            frame.id,
            new TaskSerializationException(
                "the task's result could not be deserialized in the parent: " + e, e),
            false);
      }
    }
    return PoolScheduler.Answer.failure(frame.id, failure(frame.payload), halts);
  }

  /** The exception a worker sent as a {@link RemoteFailure}. */
  Throwable failure(byte[] payload) {
    try {
      return ((RemoteFailure) Wire.deserialize(payload, loader)).toThrowable(loader);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      return new ProcessPoolException("a task failed, and its failure could not be read: " + e, e);
    }
  }
}
