package org.multiprocessing4j.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.wire.methods.LockMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code rlock} type: a reentrant lock owned by one client thread of one session ({@link
 * Call#owner()}), as Python's RLock is owned by the (process, thread) behind a connection. Only the
 * owner may release it. FIFO hand-off to parked waiters; when the owning session ends, the lock is
 * released whatever its hold count and the next waiter proceeds.
 */
final class RLockReferent extends BuiltInReferent<LockMethod> {
  private static final ExposedMethods<LockMethod> METHODS = ExposedMethods.of(LockMethod.ofRLock());

  private static final class Waiter {
    final Call call;
    final int holds;

    Waiter(Call call, int holds) {
      this.call = call;
      this.holds = holds;
    }
  }

  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final SessionHolds holder = new SessionHolds(this);
  private Call.Owner owner;
  private ServerSession ownerSession;
  private int holdCount;

  RLockReferent() {
    super(TypeIds.RLOCK, METHODS);
  }

  @Override
  Object run(LockMethod method, Object[] args, Call call) throws MethodNotExposedException {
    return switch (method) {
      case ACQUIRE -> acquire(call, 1, null);
      case TRY_ACQUIRE -> {
        if (owner == null || owner.equals(call.owner())) {
          grant(call, 1);
          yield true;
        }
        yield false;
      }
      case RELEASE -> {
        if (owner == null) {
          throw new IllegalMonitorStateException("cannot release an un-acquired lock");
        }
        if (!owner.equals(call.owner())) {
          throw new IllegalMonitorStateException(
              "cannot release a lock held by another thread or process");
        }
        if (--holdCount == 0) {
          releaseAndHandOff();
        }
        yield null;
      }
      case IS_LOCKED -> owner != null;
      case IS_HELD_BY_CALLER -> isOwnedBy(call.owner());
      case GET_HOLD_COUNT -> isOwnedBy(call.owner()) ? holdCount : 0;
    };
  }

  boolean isOwnedBy(Call.Owner candidate) {
    return owner != null && owner.equals(candidate);
  }

  /**
   * Acquires {@code holds} holds for the caller: true at once, false if it may not wait, else
   * parks. {@code onWithdraw} (may be null) runs if the parked call is withdrawn.
   */
  Object acquire(Call call, int holds, Runnable onWithdraw) {
    if (owner == null || owner.equals(call.owner())) {
      grant(call, holds);
      return true;
    }
    if (!call.mayWait()) {
      return false;
    }
    Waiter waiter = new Waiter(call, holds);
    waiters.add(waiter);
    return call.park(
        () -> {
          waiters.remove(waiter);
          if (onWithdraw != null) {
            onWithdraw.run();
          }
        },
        () -> false);
  }

  /** Releases every hold of the caller (who must own the lock); returns how many there were. */
  int releaseAll() {
    int released = holdCount;
    releaseAndHandOff();
    return released;
  }

  private void grant(Call call, int holds) {
    if (owner == null) {
      owner = call.owner();
      ownerSession = call.session;
    }
    holdCount += holds;
    holder.add(call.session, holds);
  }

  private void releaseAndHandOff() {
    holder.remove(ownerSession, Integer.MAX_VALUE);
    owner = null;
    ownerSession = null;
    holdCount = 0;
    Waiter next = waiters.poll();
    if (next != null) {
      grant(next.call, next.holds);
      next.call.complete(true);
    }
  }

  @Override
  public void sessionEnded(ServerSession session) {
    holder.removeAll(session);
    if (owner != null && ownerSession == session) {
      releaseAndHandOff();
    }
  }

  @Override
  public void freed() {
    List<Waiter> parked = new ArrayList<>(waiters);
    parked.forEach(w -> w.call.withdraw());
  }

  @Override
  public String describe() {
    return "<RLock "
        + (owner == null ? "unlocked" : "locked " + holdCount + "x by " + ownerSession)
        + ", "
        + waiters.size()
        + " waiting>";
  }
}
