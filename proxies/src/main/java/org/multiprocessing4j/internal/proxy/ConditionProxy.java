package org.multiprocessing4j.internal.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.multiprocessing4j.SharedCondition;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.internal.wire.methods.ConditionMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/**
 * Proxy of a manager-held {@code condition}. A wait is two parked calls: {@code await} (release the
 * lock and wait, atomically) then {@code reacquire} (wait for the lock, restore its holds), which
 * runs whatever ended the wait, so the lock is always held again on return.
 */
// one await is one remote wait: the caller loops on its predicate, as with any Condition;
// awaitUntil(Date) is the interface's signature
@SuppressWarnings({"WaitNotInLoop", "JavaUtilDate"})
final class ConditionProxy extends LockBoundProxy implements SharedCondition {
  private static final long serialVersionUID = 1L;

  ConditionProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.CONDITION, ConditionMethod.GET_LOCK);
  }

  @Override
  public SharedLock.Held hold() {
    return getLock().hold();
  }

  /** Waits (signalled: true; timed out: false), then re-acquires; rethrows an interrupt after. */
  private boolean awaitThenReacquire(long timeoutNanos) throws InterruptedException {
    boolean signalled;
    InterruptedException interrupted = null;
    try {
      signalled = (Boolean) callBlocking(ConditionMethod.AWAIT, timeoutNanos);
    } catch (InterruptedException e) {
      // Withdrawn on the manager; the lock was released when the wait began.
      signalled = false;
      interrupted = e;
    }
    reacquire();
    if (interrupted != null) {
      throw interrupted;
    }
    return signalled;
  }

  /** Re-acquisition cannot be skipped, and an interrupt does not move it back in the queue. */
  private void reacquire() {
    Blocking.uninterruptibly(handle, ConditionMethod.REACQUIRE);
  }

  @Override
  public void await() throws InterruptedException {
    Blocking.checkInterrupted();
    awaitThenReacquire(Blocking.FOREVER);
  }

  /**
   * Only a signal ends the wait: an interrupt does not withdraw it from the manager's queue (a
   * withdrawn wait issued again would miss a signal sent in between); the interrupt status is set
   * on return.
   */
  @Override
  public void awaitUninterruptibly() {
    boolean interrupted = Thread.interrupted();
    handle.callBlockingUninterruptibly(ConditionMethod.AWAIT, Blocking.FOREVER);
    reacquire();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public long awaitNanos(long nanosTimeout) throws InterruptedException {
    Blocking.checkInterrupted();
    long deadline = System.nanoTime() + Math.max(0, nanosTimeout);
    awaitThenReacquire(Math.max(0, nanosTimeout));
    return deadline - System.nanoTime();
  }

  /** Python's result: true if signalled, false if the timeout elapsed. */
  @Override
  public boolean await(long time, TimeUnit unit) throws InterruptedException {
    long nanos = Blocking.nanos(time, unit);
    Blocking.checkInterrupted();
    return awaitThenReacquire(nanos);
  }

  @Override
  public boolean awaitUntil(Date deadline) throws InterruptedException {
    requireNonNull(deadline, "deadline");
    long millis = Math.max(0, deadline.getTime() - System.currentTimeMillis());
    return await(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void signal() {
    call(ConditionMethod.SIGNAL);
  }

  @Override
  public void signal(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("signal(n) needs n >= 0, got " + n);
    }
    call(ConditionMethod.SIGNAL, n);
  }

  @Override
  public void signalAll() {
    call(ConditionMethod.SIGNAL_ALL);
  }

  @Override
  public boolean waitFor(BooleanSupplier predicate, Duration timeout) throws InterruptedException {
    requireNonNull(predicate, "predicate");
    long deadline = System.nanoTime() + Blocking.nanos(timeout);
    boolean result = predicate.getAsBoolean();
    while (!result) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      await(remaining, TimeUnit.NANOSECONDS);
      result = predicate.getAsBoolean();
    }
    return result;
  }

  @Override
  public void waitFor(BooleanSupplier predicate) throws InterruptedException {
    requireNonNull(predicate, "predicate");
    while (!predicate.getAsBoolean()) {
      await();
    }
  }
}
