package org.multiprocessing4j;

/**
 * Proxy of an object whose type this process registered no interface for: methods are called by
 * name (Python's {@code _callmethod}). Get one with {@code manager.create(typeId,
 * GenericProxy.class, args...)}, or it is what a reference to such an object becomes.
 *
 * <p>Thread-safe, as every proxy.
 */
public interface GenericProxy extends SharedObject {

  /** Calls {@code method} on the referent: one round trip. */
  Object invoke(String method, Object... args);
}
