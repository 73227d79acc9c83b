package org.multiprocessing4j.server;

/** A type's factory refused its arguments; the cause is what it threw. */
final class CreateFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  CreateFailedException(Throwable cause) {
    super(cause);
  }
}
