package org.multiprocessing4j.internal.proxy;

import org.multiprocessing4j.GenericProxy;
import org.multiprocessing4j.spi.Invoker;

/** The {@link GenericProxy}: every method by name. Thread-safe, as its invoker is. */
final class ByNameProxy extends AbstractProxy implements GenericProxy {
  private static final long serialVersionUID = 1L;

  ByNameProxy(Invoker invoker, long objectId, String typeId) {
    super(invoker, objectId, typeId);
  }

  @Override
  public Object invoke(String method, Object... args) {
    return invoker().invoke(objectId(), method, args);
  }
}
