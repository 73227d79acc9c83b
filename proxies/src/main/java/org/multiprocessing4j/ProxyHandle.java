package org.multiprocessing4j;

import java.lang.ref.Cleaner;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.spi.Invoker;

/**
 * The part every proxy shares, whatever it extends: the invoker, the referent's id and type, the
 * release of its manager-side reference once the owning proxy is unreachable, and its serialized
 * form.
 */
final class ProxyHandle {
  // One daemon thread for the process; a release is a non-blocking send.
  private static final Cleaner CLEANER = Cleaner.create();

  final Invoker invoker;
  final long objectId;
  final String typeId;

  private ProxyHandle(Invoker invoker, long objectId, String typeId) {
    this.invoker = invoker;
    this.objectId = objectId;
    this.typeId = typeId;
  }

  /** Creates the handle and arranges the release of one reference when {@code owner} is unreachable. */
  static ProxyHandle attach(Object owner, Invoker invoker, long objectId, String typeId) {
    // The action must not capture `owner`, or it would never become unreachable.
    CLEANER.register(owner, () -> invoker.release(objectId));
    return new ProxyHandle(invoker, objectId, typeId);
  }

  Object call(String method, Object... args) {
    return invoker.invoke(objectId, method, args);
  }

  /** Sends the call without waiting; see {@link Invoker#invokeAsync}. */
  CompletableFuture<Object> callAsync(String method, Object... args) {
    return invoker.invokeAsync(objectId, method, args);
  }

  String target() {
    return invoker.target();
  }

  boolean sameReferent(SharedObject other) {
    return other.objectId() == objectId && other.managerTarget().equals(invoker.target());
  }

  int referentHash() {
    return Long.hashCode(objectId) * 31 + invoker.target().hashCode();
  }

  ProxyReference reference() {
    return new ProxyReference(invoker.target(), objectId, typeId);
  }
}
