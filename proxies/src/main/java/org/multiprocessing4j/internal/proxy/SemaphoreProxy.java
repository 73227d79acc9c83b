package org.multiprocessing4j.internal.proxy;

import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedSemaphore;
import org.multiprocessing4j.internal.wire.methods.SemaphoreMethod;
import org.multiprocessing4j.spi.Invoker;

/** Proxy of a manager-held {@code semaphore} or {@code boundedSemaphore}. */
final class SemaphoreProxy extends AbstractProxy implements SharedSemaphore {
  private static final long serialVersionUID = 1L;

  SemaphoreProxy(Invoker invoker, long objectId, String typeId) {
    super(invoker, objectId, typeId);
  }

  @Override
  public void acquire() throws InterruptedException {
    blocking(SemaphoreMethod.ACQUIRE, Blocking.FOREVER);
  }

  @Override
  public void acquireUninterruptibly() {
    Blocking.uninterruptibly(handle, SemaphoreMethod.ACQUIRE);
  }

  @Override
  public boolean tryAcquire() {
    return (Boolean) call(SemaphoreMethod.TRY_ACQUIRE);
  }

  @Override
  public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
    return (Boolean) blocking(SemaphoreMethod.ACQUIRE, Blocking.nanos(timeout, unit));
  }

  @Override
  public boolean acquire(boolean blocking, long timeout, TimeUnit unit)
      throws InterruptedException {
    if (!blocking) {
      // Python: "can't specify timeout for non-blocking acquire".
      Blocking.requireNoTimeout(timeout);
      return tryAcquire();
    }
    if (timeout < 0) {
      acquire();
      return true;
    }
    return tryAcquire(timeout, unit);
  }

  @Override
  public void release() {
    release(1);
  }

  @Override
  public void release(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("release(n) needs n >= 1, got " + permits);
    }
    call(SemaphoreMethod.RELEASE, permits);
  }

  @Override
  public int availablePermits() {
    return (Integer) call(SemaphoreMethod.AVAILABLE_PERMITS);
  }

  @Override
  public SharedLock.Held hold() {
    acquireUninterruptibly();
    return this::release;
  }
}
