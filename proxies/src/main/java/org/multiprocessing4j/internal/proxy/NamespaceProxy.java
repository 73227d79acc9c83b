package org.multiprocessing4j.internal.proxy;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedNamespace;
import org.multiprocessing4j.SharedObject;
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

  /**
   * Python's repr, {@code Namespace(a=1, name='Bob')}, names sorted, over a copy fetched in one
   * round trip: each value as this client decodes it (a user-codec value by its own {@code
   * toString}, a nested proxy by its own rendering, this namespace as {@code (this Namespace)});
   * the manager's rendering if this client cannot decode a value, so that printing never fails.
   */
  @Override
  public String toString() {
    Map<String, Object> attributes;
    try {
      attributes = copy();
    } catch (ManagerException e) {
      if (e.code() != ManagerException.Code.UNSUPPORTED_VALUE) {
        throw e;
      }
      return super.toString();
    }
    StringJoiner text = new StringJoiner(", ", "Namespace(", ")");
    new TreeMap<>(attributes).forEach((name, value) -> text.add(name + "=" + repr(value)));
    return text.toString();
  }

  private String repr(Object value) {
    if (value instanceof String) {
      return "'" + value + "'";
    }
    return value instanceof SharedObject other && handle.sameReferent(other)
        ? "(this Namespace)"
        : String.valueOf(value);
  }

  @Override
  public Map<String, Object> copy() {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) call(NamespaceMethod.COPY);
    return copy;
  }
}
