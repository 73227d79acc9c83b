package org.multiprocessing4j.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code lock} type: not reentrant, no owner for release (as Python's Lock), FIFO hand-off to
 * parked waiters. The session that holds it is remembered only so the lock can be released when
 * that session ends.
 */
final class LockReferent implements Referent {
  private final ArrayDeque<Call> waiters = new ArrayDeque<>();
  private ServerSession holder;
  private boolean locked;

  @Override
  public String typeId() {
    return TypeIds.LOCK;
  }

  @Override
  public Object invoke(String method, Object[] args, Call call) throws MethodNotExposedException {
    switch (method) {
      case "acquire":
        if (!locked) {
          grant(call.session);
          return true;
        }
        if (!call.mayWait()) {
          return false;
        }
        waiters.add(call);
        return call.park(() -> waiters.remove(call), () -> false);
      case "tryAcquire":
        if (locked) {
          return false;
        }
        grant(call.session);
        return true;
      case "release":
        if (!locked) {
          throw new IllegalMonitorStateException("release unlocked lock");
        }
        releaseAndHandOff();
        return null;
      case "isLocked":
        return locked;
      default:
        throw new MethodNotExposedException(typeId(), method);
    }
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
    new ArrayList<>(waiters).forEach(Call::withdraw);
  }

  @Override
  public String describe() {
    return "<Lock " + (locked ? "locked" : "unlocked") + ", " + waiters.size() + " waiting>";
  }
}
