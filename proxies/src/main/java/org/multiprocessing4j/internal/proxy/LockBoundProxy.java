package org.multiprocessing4j.internal.proxy;

import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.internal.wire.methods.SharedMethod;
import org.multiprocessing4j.spi.Invoker;

/**
 * Base of the proxies bound to one lock for their lifetime (a value, an array, a condition): the
 * lock never changes, so {@link #getLock()} asks the manager once and keeps the answer.
 *
 * <p>Thread-safe: racing first calls may each ask; every answer is the same referent.
 */
abstract class LockBoundProxy extends AbstractProxy {
  private static final long serialVersionUID = 1L;

  private final transient SharedMethod getLockMethod;
  private transient volatile SharedLock lock;

  LockBoundProxy(Invoker invoker, long objectId, String typeId, SharedMethod getLockMethod) {
    super(invoker, objectId, typeId);
    this.getLockMethod = getLockMethod;
  }

  public final SharedLock getLock() {
    SharedLock current = lock;
    if (current == null) {
      current = (SharedLock) call(getLockMethod);
      lock = current;
    }
    return current;
  }
}
