package org.multiprocessing4j.pool;

/**
 * A task, one of its arguments or its result could not be serialized or deserialized on its way
 * between the parent and a worker (Python's {@code MaybeEncodingError} and pickling errors). The
 * cause is the serialization error, e.g. a {@link java.io.NotSerializableException} naming the
 * class. A failure in the parent is thrown by the submitting method and nothing is submitted; a
 * failure in the worker (an unserializable result) fails the task and the worker keeps serving.
 */
public final class TaskSerializationException extends ProcessPoolException {
  private static final long serialVersionUID = 1L;

  public TaskSerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
