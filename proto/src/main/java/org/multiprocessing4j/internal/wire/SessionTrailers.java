package org.multiprocessing4j.internal.wire;

/**
 * What the manager puts in the trailers when it ends a session with a gRPC error status instead of
 * a Goodbye (a Goodbye would have to wait behind replies the client is not reading).
 *
 * <p>Thread-safe: constants only.
 */
public final class SessionTrailers {
  /**
   * ASCII trailer holding the name of the {@code ErrorCode} (for instance {@code LIMIT_EXCEEDED}).
   * It tells the manager's own status apart from one the client's gRPC library made up locally with
   * the same status code.
   */
  public static final String ERROR_CODE = "mp4j-error-code";

  private SessionTrailers() {}
}
