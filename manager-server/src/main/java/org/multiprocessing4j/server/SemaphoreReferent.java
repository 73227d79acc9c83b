package org.multiprocessing4j.server;

import org.multiprocessing4j.internal.wire.methods.SemaphoreMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code semaphore} and {@code boundedSemaphore} types (Python's Semaphore and
 * BoundedSemaphore): a permit count with FIFO hand-off to parked acquirers.
 *
 * <p>Permits have no owner, but the manager counts, per session, the permits a session acquired and
 * has not released itself. When the session ends those are released, as far as that keeps the
 * permits available plus the permits still held by live sessions at or below the initial value: if
 * another process already released on the dead one's behalf, or the semaphore was used as a signal
 * (released by one process, acquired by another), nothing is released twice.
 */
final class SemaphoreReferent extends BuiltInReferent<SemaphoreMethod> {
  private static final ExposedMethods<SemaphoreMethod> METHODS =
      ExposedMethods.all(SemaphoreMethod.class);

  private final int initial;
  // -1: unbounded.
  private final int bound;
  private final WaitQueue waiters = new WaitQueue();
  private final SessionHolds holds = new SessionHolds(this);
  private int permits;

  private SemaphoreReferent(String typeId, int permits, int bound) {
    super(typeId, METHODS);
    this.permits = permits;
    this.initial = permits;
    this.bound = bound;
  }

  static SemaphoreReferent create(String typeId, Object[] args) {
    Args.count(typeId, "create", args, 1);
    int permits = Args.intArg(typeId, args, 0);
    if (permits < 0) {
      throw new IllegalArgumentException(
          "a semaphore's initial value must be >= 0, got " + permits);
    }
    boolean bounded = TypeIds.BOUNDED_SEMAPHORE.equals(typeId);
    return new SemaphoreReferent(typeId, permits, bounded ? permits : -1);
  }

  @Override
  Object run(SemaphoreMethod method, Object[] args, Call call) throws MethodNotExposedException {
    return switch (method) {
      case ACQUIRE -> {
        if (permits > 0) {
          take(call.session);
          yield true;
        }
        yield waiters.park(call);
      }
      case TRY_ACQUIRE -> {
        if (permits > 0) {
          take(call.session);
          yield true;
        }
        yield false;
      }
      case RELEASE -> {
        int n = Args.intArg(method, args, 0);
        if (n < 1) {
          throw new IllegalArgumentException("release(n) needs n >= 1, got " + n);
        }
        if (bound >= 0 && permits + n > bound) {
          // Python: ValueError('Semaphore released too many times'); nothing changes.
          throw new IllegalStateException(
              "semaphore released too many times: it is bounded to " + bound + " permits");
        }
        holds.remove(call.session, n);
        give(n);
        yield null;
      }
      case AVAILABLE_PERMITS -> permits;
    };
  }

  private void take(ServerSession session) {
    permits--;
    holds.add(session, 1);
  }

  /** Releases {@code n} permits: each goes to the longest waiter, or back to the count. */
  private void give(int n) {
    for (int i = 0; i < n; i++) {
      Call next = waiters.poll();
      if (next == null) {
        permits++;
      } else {
        holds.add(next.session, 1);
        next.complete(true);
      }
    }
  }

  @Override
  public void sessionEnded(ServerSession session) {
    int held = holds.removeAll(session);
    int room = initial - permits - holds.total();
    give(Math.max(0, Math.min(held, room)));
  }

  @Override
  public void freed() {
    waiters.withdrawAll();
  }

  @Override
  public String describe() {
    return "<"
        + (bound >= 0 ? "BoundedSemaphore" : "Semaphore")
        + " value="
        + permits
        + (bound >= 0 ? "/" + bound : "")
        + ", "
        + waiters.size()
        + " waiting>";
  }
}
