package org.multiprocessing4j.server;

import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.multiprocessing4j.proto.v1.ErrorCode;

/**
 * One client call in flight. A referent either returns its result at once or parks the call and
 * completes it later; either way the reply is sent exactly once. All methods run under the {@link
 * ManagerState} lock.
 */
final class Call {
  /** Returned by {@link Referent#invoke} after {@link #park}. */
  static final Object PENDING = new Object();

  final ServerSession session;
  final long callId;
  final long threadId;
  // Negative: wait without bound; 0: do not wait.
  final long timeoutNanos;
  private final Replies replies;
  private Runnable withdrawAction;
  private Supplier<Object> timeoutResult;
  private ScheduledFuture<?> timeoutTask;
  private boolean done;

  Call(ServerSession session, long callId, long threadId, long timeoutNanos, Replies replies) {
    this.session = session;
    this.callId = callId;
    this.threadId = threadId;
    this.timeoutNanos = timeoutNanos;
    this.replies = replies;
  }

  /** The owner identity of reentrant locks: this client thread in this session. */
  Owner owner() {
    return new Owner(session.id, threadId);
  }

  /** True if the caller is prepared to wait (a blocking call with a non-zero timeout). */
  boolean mayWait() {
    return timeoutNanos != 0;
  }

  /**
   * Parks this call. {@code withdraw} removes it from the referent's waiters; it runs when the call
   * times out, is cancelled, or its session ends. {@code onTimeout} gives the timeout's result (or
   * throws the timeout's exception).
   */
  Object park(Runnable withdraw, Supplier<Object> onTimeout) {
    this.withdrawAction = withdraw;
    this.timeoutResult = onTimeout;
    session.parkedCalls.put(callId, this);
    if (timeoutNanos > 0) {
      timeoutTask = session.state.scheduleTimeout(this, timeoutNanos);
    }
    return PENDING;
  }

  boolean isDone() {
    return done;
  }

  /** Sends the result. A no-op if the call already completed. */
  void complete(Object value) {
    if (finish()) {
      replies.sendValue(this, value);
    }
  }

  /** Sends the failure. A no-op if the call already completed. */
  void fail(Throwable failure) {
    if (finish()) {
      replies.sendError(this, failure);
    }
  }

  void timeOut() {
    if (done) {
      return;
    }
    withdrawAction.run();
    try {
      complete(timeoutResult.get());
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** The client gave up (interrupt): withdraw and answer CANCELLED. */
  void cancel() {
    if (done) {
      return;
    }
    withdrawAction.run();
    fail(new CodedException(ErrorCode.CANCELLED, "the call was cancelled by the client"));
  }

  /** The session ended or the referent was freed: withdraw; answer if anyone can still listen. */
  void withdraw() {
    if (done) {
      return;
    }
    withdrawAction.run();
    if (session.closed) {
      finish();
    } else {
      fail(new CodedException(ErrorCode.UNKNOWN_OBJECT, "the object was freed while waiting"));
    }
  }

  private boolean finish() {
    if (done) {
      return false;
    }
    done = true;
    if (withdrawAction != null) {
      session.parkedCalls.remove(callId);
      if (timeoutTask != null) {
        timeoutTask.cancel(false);
      }
    }
    return true;
  }

  /** A client thread of a session. Immutable. */
  record Owner(long sessionId, long threadId) {}
}
