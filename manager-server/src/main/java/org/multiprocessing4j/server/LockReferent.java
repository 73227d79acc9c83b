package org.multiprocessing4j.server;

import org.multiprocessing4j.internal.wire.methods.LockMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code lock} type: not reentrant, no owner for release (as Python's Lock), FIFO hand-off to
 * parked waiters. The session that holds it is remembered only so the lock can be released when
 * that session ends.
 */
final class LockReferent extends BuiltInReferent<LockMethod> {
  private static final ExposedMethods<LockMethod> METHODS = ExposedMethods.of(LockMethod.ofLock());

  private final WaitQueue waiters = new WaitQueue();
  private ServerSession holder;
  private boolean locked;

  LockReferent() {
    super(TypeIds.LOCK, METHODS);
  }

  @Override
  Object run(LockMethod method, Object[] args, Call call) throws MethodNotExposedException {
    return switch (method) {
      case ACQUIRE -> {
        if (!locked) {
          grant(call.session);
          yield true;
        }
        yield waiters.park(call);
      }
      case TRY_ACQUIRE -> {
        if (locked) {
          yield false;
        }
        grant(call.session);
        yield true;
      }
      case RELEASE -> {
        if (!locked) {
          throw new IllegalMonitorStateException("release unlocked lock");
        }
        releaseAndHandOff();
        yield null;
      }
      case IS_LOCKED -> locked;
      // An rlock's, left out of METHODS: a lock has no owner.
      case IS_HELD_BY_CALLER, GET_HOLD_COUNT ->
          throw new MethodNotExposedException(typeId(), method.wireName());
    };
  }

  private void grant(ServerSession session) {
    locked = true;
    holder = session;
    session.watch(this);
  }

  private void releaseAndHandOff() {
    locked = false;
    holder = null;
    Call next = waiters.poll();
    if (next != null) {
      grant(next.session);
      next.complete(true);
    }
  }

  @Override
  public void sessionEnded(ServerSession session) {
    if (locked && holder == session) {
      releaseAndHandOff();
    }
  }

  @Override
  public void freed() {
    waiters.withdrawAll();
  }

  @Override
  public String describe() {
    return "<Lock " + (locked ? "locked" : "unlocked") + ", " + waiters.size() + " waiting>";
  }
}
