package org.multiprocessing4j.internal.proxy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.internal.wire.methods.LockMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/**
 * Proxy of a manager-held lock ({@code lock} or {@code rlock}). Acquisition is a parked call on the
 * manager; see {@link Invoker#invokeBlocking} for how interrupts and timeouts cancel it. {@link
 * #lock()} is not cancelled by an interrupt: it keeps its place in the manager's queue, as a {@code
 * ReentrantLock} waiter does ({@link Invoker#invokeBlockingUninterruptibly}).
 */
final class LockProxy extends AbstractProxy implements SharedLock {
  private static final long serialVersionUID = 1L;

  LockProxy(Invoker invoker, long objectId, String typeId) {
    super(invoker, objectId, typeId);
  }

  @Override
  public void lock() {
    Blocking.uninterruptibly(handle, LockMethod.ACQUIRE);
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    blocking(LockMethod.ACQUIRE, Blocking.FOREVER);
  }

  @Override
  public boolean tryLock() {
    return (Boolean) call(LockMethod.TRY_ACQUIRE);
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return (Boolean) blocking(LockMethod.ACQUIRE, Blocking.nanos(time, unit));
  }

  @Override
  public boolean acquire(boolean blocking, long timeout, TimeUnit unit)
      throws InterruptedException {
    if (!blocking) {
      // Python: "can't specify a timeout for a non-blocking call".
      Blocking.requireNoTimeout(timeout);
      return tryLock();
    }
    long nanos = timeout < 0 ? Blocking.FOREVER : unit.toNanos(timeout);
    return (Boolean) callBlocking(LockMethod.ACQUIRE, nanos);
  }

  @Override
  public void unlock() {
    call(LockMethod.RELEASE);
  }

  @Override
  public void release() {
    unlock();
  }

  @Override
  public boolean isLocked() {
    return (Boolean) call(LockMethod.IS_LOCKED);
  }

  @Override
  public Held hold() {
    lock();
    return this::unlock;
  }

  /** Creates a manager-held condition bound to this lock (one round trip). */
  @Override
  public Condition newCondition() {
    return (Condition) invoker().create(TypeIds.CONDITION, this);
  }
}
