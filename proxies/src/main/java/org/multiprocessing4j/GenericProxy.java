package org.multiprocessing4j;

import org.multiprocessing4j.spi.Invoker;

/**
 * Proxy of an object whose type this process registered no interface for: methods are called by
 * name (Python's {@code _callmethod}).
 */
public final class GenericProxy extends AbstractProxy {
  private static final long serialVersionUID = 1L;

  GenericProxy(Invoker invoker, long objectId, String typeId) {
    super(invoker, objectId, typeId);
  }

  /** Calls {@code method} on the referent: one round trip. */
  public Object invoke(String method, Object... args) {
    return invoker().invoke(objectId(), method, args);
  }
}
