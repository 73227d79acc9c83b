package org.multiprocessing4j.internal.proxy;

import java.util.Map;
import org.multiprocessing4j.SharedNamespace;
import org.multiprocessing4j.internal.wire.methods.NamespaceMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/** Proxy of a manager-held namespace. */
final class NamespaceProxy extends AbstractProxy implements SharedNamespace {
  private static final long serialVersionUID = 1L;

  NamespaceProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.NAMESPACE);
  }

  @Override
  public Object get(String name) {
    return call(NamespaceMethod.GET, name);
  }

  @Override
  public <T> T get(String name, Class<T> type) {
    return type.cast(get(name));
  }

  @Override
  public void set(String name, Object value) {
    call(NamespaceMethod.SET, name, value);
  }

  @Override
  public boolean has(String name) {
    return (Boolean) call(NamespaceMethod.HAS, name);
  }

  @Override
  public void delete(String name) {
    call(NamespaceMethod.DELETE, name);
  }

  @Override
  public Map<String, Object> copy() {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) call(NamespaceMethod.COPY);
    return copy;
  }
}
