package org.multiprocessing4j.pool;

import java.io.IOException;

/**
 * The kinds of frame of the parent-worker protocol (see {@link Wire}); on the wire, {@link #code}.
 * Immutable.
 */
enum FrameKind {
  // parent -> worker
  /** Payload: the serialized initializer, or empty. */
  INIT(1),
  /** Payload: a serialized {@link Work}. */
  TASK(2),
  /** Id: a task; payload {@code [1]}: also interrupt it if it is running. */
  CANCEL(3),
  /** Exit now (sent only to a worker with no task). */
  EXIT(4),
  /** Id: the parent has read the result that held shared objects. */
  RELEASE(5),

  // worker -> parent
  READY(10),
  /** Payload: a {@link RemoteFailure}. */
  INIT_FAILED(11),
  /** Payload: the serialized result. */
  RESULT(12),
  /** Payload: a {@link RemoteFailure}. */
  FAILED(13),
  /** {@link #FAILED}, and the worker exits (it ran out of memory). */
  FAILED_RETIRING(14),
  /**
   * {@link #RESULT} that references shared objects: the worker keeps them referenced until {@link
   * #RELEASE}, so the manager does not free them before the parent has taken its own references.
   */
  RESULT_HOLDING(15),
  /**
   * Answer to {@link #EXIT}: output flushed, nothing running; the parent kills the JVM at once (a
   * JVM that exits by itself waits up to 300 ms for its threads blocked in native reads).
   */
  BYE(16);

  private static final FrameKind[] BY_CODE = new FrameKind[17];

  static {
    for (FrameKind kind : values()) {
      BY_CODE[kind.code] = kind;
    }
  }

  final int code;

  FrameKind(int code) {
    this.code = code;
  }

  /** The kind a code read from the wire stands for; a malformed frame if none. */
  static FrameKind of(int code) throws IOException {
    FrameKind kind = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    if (kind == null) {
      throw new IOException("corrupt frame: unknown kind " + code);
    }
    return kind;
  }

  /** Whether this frame answers a task (the first one sent and not yet answered). */
  boolean answersTask() {
    return switch (this) {
      case RESULT, RESULT_HOLDING, FAILED, FAILED_RETIRING -> true;
      default -> false;
    };
  }
}
