package org.multiprocessing4j.server;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.wire.methods.ConditionMethod;
import org.multiprocessing4j.internal.wire.methods.LockMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code condition} type, bound to a {@code lock} or {@code rlock} (a new rlock by default, as
 * Python's Condition).
 *
 * <p>A wait takes two calls. {@code await} checks that the caller holds the lock, releases it
 * (every hold of an rlock) and parks in the same atomic step, so no signal can slip in between; it
 * completes with true when signalled, false on timeout. The client then calls {@code reacquire},
 * which waits for the lock like any acquirer and restores the hold count saved by {@code await}.
 * Doing the second step as its own call keeps a timed-out or interrupted wait simple: whatever
 * ended the wait, the thread re-acquires the same way before returning.
 */
final class ConditionReferent extends BuiltInReferent<ConditionMethod> {
  private static final ExposedMethods<ConditionMethod> METHODS =
      ExposedMethods.all(ConditionMethod.class);

  private static final Object[] NO_ARGS = {};

  private final long lockId;
  private final Referent lock;
  private final WaitQueue waiters = new WaitQueue();
  // Holds released by await, to restore by reacquire; keyed by the waiting client thread.
  private final Map<Call.Owner, Integer> savedHolds = new HashMap<>();

  private ConditionReferent(long lockId, Referent lock) {
    super(TypeIds.CONDITION, METHODS);
    this.lockId = lockId;
    this.lock = lock;
  }

  /** {@code create()}: with a new rlock; {@code create(lock)}: bound to a shared lock or rlock. */
  static ConditionReferent create(Object[] args, ManagerState state) {
    if (args.length == 0) {
      RLockReferent rlock = new RLockReferent();
      long id = state.register(rlock);
      state.nestedReferenceStored();
      return new ConditionReferent(id, rlock);
    }
    Args.count(TypeIds.CONDITION, "create", args, 1);
    if (!(args[0] instanceof Ref)) {
      throw new IllegalArgumentException(
          "a condition is bound to a shared lock or rlock, got " + Args.describe(args[0]));
    }
    Ref ref = (Ref) args[0];
    Referent referent = state.entry(ref.objectId()).referent;
    if (!(referent instanceof LockReferent) && !(referent instanceof RLockReferent)) {
      throw new IllegalArgumentException(
          "a condition is bound to a shared lock or rlock, got a shared " + ref.typeId());
    }
    return new ConditionReferent(ref.objectId(), referent);
  }

  @Override
  Object run(ConditionMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case AWAIT -> await(call);
      case REACQUIRE -> reacquire(call);
      case SIGNAL -> {
        int n = args.length == 0 ? 1 : Args.intArg(method, args, 0);
        if (n < 0) {
          throw new IllegalArgumentException("signal(n) needs n >= 0, got " + n);
        }
        requireHeld(call, "signal");
        waiters.completeOldest(n, true);
        yield null;
      }
      case SIGNAL_ALL -> {
        requireHeld(call, "signal");
        waiters.completeOldest(Integer.MAX_VALUE, true);
        yield null;
      }
      case GET_LOCK -> new Ref(lockId, lock.typeId());
      case WAITING -> waiters.size();
    };
  }

  private boolean heldByCaller(Call call) throws Exception {
    if (lock instanceof RLockReferent rLockReferent) {
      return rLockReferent.isOwnedBy(call.owner());
    }
    // A plain lock has no owner (Python's Condition over a Lock only checks that it is locked).
    return (Boolean) lock.invoke(LockMethod.IS_LOCKED.wireName(), NO_ARGS, call);
  }

  private void requireHeld(Call call, String what) throws Exception {
    if (!heldByCaller(call)) {
      throw new IllegalMonitorStateException(
          "cannot " + what + " on a condition whose lock the caller does not hold");
    }
  }

  private Object await(Call call) throws Exception {
    requireHeld(call, "wait");
    int holds;
    if (lock instanceof RLockReferent rLockReferent) {
      holds = rLockReferent.releaseAll();
    } else {
      lock.invoke(LockMethod.RELEASE.wireName(), NO_ARGS, call);
      holds = 1;
    }
    savedHolds.put(call.owner(), holds);
    call.session.watch(this);
    return waiters.park(call);
  }

  private Object reacquire(Call call) throws Exception {
    Call.Owner owner = call.owner();
    Integer holds = savedHolds.remove(owner);
    unwatchIfIdle(call.session);
    if (!(lock instanceof RLockReferent rLockReferent)) {
      // A plain lock has no hold count to restore: this is an ordinary acquire.
      return lock.invoke(LockMethod.ACQUIRE.wireName(), NO_ARGS, call);
    }
    if (holds == null) {
      throw new IllegalStateException("reacquire is only valid right after await");
    }
    // If this acquire is withdrawn (the client was interrupted), it will ask again: keep the count.
    Runnable putBack =
        () -> {
          if (!call.session.closed) {
            savedHolds.put(owner, holds);
            call.session.watch(this);
          }
        };
    return rLockReferent.acquire(call, holds, putBack);
  }

  private void unwatchIfIdle(ServerSession session) {
    if (session.closed) {
      return;
    }
    for (Call.Owner owner : savedHolds.keySet()) {
      if (owner.sessionId() == session.id) {
        return;
      }
    }
    session.watched.remove(this);
  }

  @Override
  public void forEachReference(LongConsumer visitor) {
    visitor.accept(lockId);
  }

  @Override
  public void sessionEnded(ServerSession session) {
    savedHolds.keySet().removeIf(owner -> owner.sessionId() == session.id);
  }

  @Override
  public void freed() {
    waiters.withdrawAll();
  }

  @Override
  public String describe() {
    return "<Condition over " + lock.describe() + ", " + waiters.size() + " waiting>";
  }
}
