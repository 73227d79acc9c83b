package org.multiprocessing4j.internal.proxy;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Duration;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.internal.wire.methods.ObjectMethod;
import org.multiprocessing4j.internal.wire.methods.SharedMethod;
import org.multiprocessing4j.spi.Invoker;

/**
 * Base of the proxies that are not collections: identity of the referent, reference serialization.
 */
abstract class AbstractProxy implements SharedObject, Serializable {
  private static final long serialVersionUID = 1L;

  final transient ProxyHandle handle;

  AbstractProxy(Invoker invoker, long objectId, String typeId) {
    this.handle = ProxyHandle.attach(this, invoker, objectId, typeId);
  }

  final Object call(SharedMethod method, Object... args) {
    return handle.call(method, args);
  }

  final Object callBlocking(SharedMethod method, long timeoutNanos, Object... args)
      throws InterruptedException {
    return handle.callBlocking(method, timeoutNanos, args);
  }

  /**
   * A blocking call that, as the JDK's blocking methods, throws at once if the calling thread is
   * already interrupted.
   */
  final Object blocking(SharedMethod method, long timeoutNanos, Object... args)
      throws InterruptedException {
    Blocking.checkInterrupted();
    return callBlocking(method, timeoutNanos, args);
  }

  /**
   * A blocking call with a {@link Duration} timeout (Python's rule, {@link
   * Blocking#nanos(Duration)}: checked before the interrupt status), whose answer is whether it
   * completed in time.
   */
  final boolean blockingWithin(SharedMethod method, Duration timeout) throws InterruptedException {
    long nanos = Blocking.nanos(timeout);
    return (Boolean) blocking(method, nanos);
  }

  final Invoker invoker() {
    return handle.invoker;
  }

  @Override
  public final String typeId() {
    return handle.typeId;
  }

  @Override
  public final long objectId() {
    return handle.objectId;
  }

  @Override
  public final String managerTarget() {
    return handle.target();
  }

  /** Proxies of the same referent are equal; no round trip. */
  @Override
  public final boolean equals(Object other) {
    return other instanceof SharedObject sharedObject && handle.sameReferent(sharedObject);
  }

  @Override
  public final int hashCode() {
    return handle.referentHash();
  }

  /** One round trip: the manager's description of the referent. */
  @Override
  public String toString() {
    return String.valueOf(call(ObjectMethod.TO_STRING));
  }

  final Object writeReplace() {
    return handle.reference(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("proxies are serialized as ProxyReference");
  }
}
