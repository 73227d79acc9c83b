package org.multiprocessing4j.internal.proxy;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Supplier;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.internal.wire.methods.ObjectMethod;

/**
 * {@code toString} of the collection proxies, as {@link java.util.AbstractCollection} and {@link
 * java.util.AbstractMap} render: over a copy fetched in one round trip, so each element shows as
 * this client decodes it (a user-codec value by its own {@code toString}), a nested proxy by its
 * own rendering, and the proxy itself as {@code (this Collection)} / {@code (this Map)}.
 *
 * <p>Stateless; thread-safe.
 */
final class CollectionText {
  private CollectionText() {}

  /**
   * {@code [a, b]} of {@code copy}; if this client cannot decode an element, the manager's own
   * rendering (which shows such a value as its codec name and size) so that printing never fails.
   */
  static String ofElements(ProxyHandle self, Supplier<? extends Collection<?>> copy) {
    Collection<?> elements;
    try {
      elements = copy.get();
    } catch (ManagerException e) {
      return managerRenderingIfUndecodable(self, e);
    }
    StringBuilder text = new StringBuilder("[");
    for (Iterator<?> it = elements.iterator(); it.hasNext(); ) {
      Object element = it.next();
      text.append(isSelf(self, element) ? "(this Collection)" : String.valueOf(element));
      if (it.hasNext()) {
        text.append(", ");
      }
    }
    return text.append(']').toString();
  }

  /** {@code {k=v}} of {@code copy}, with the same fallback as {@link #ofElements}. */
  static String ofMap(ProxyHandle self, Supplier<? extends Map<?, ?>> copy) {
    Map<?, ?> entries;
    try {
      entries = copy.get();
    } catch (ManagerException e) {
      return managerRenderingIfUndecodable(self, e);
    }
    StringBuilder text = new StringBuilder("{");
    for (Iterator<? extends Map.Entry<?, ?>> it = entries.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<?, ?> entry = it.next();
      text.append(isSelf(self, entry.getKey()) ? "(this Map)" : String.valueOf(entry.getKey()))
          .append('=')
          .append(isSelf(self, entry.getValue()) ? "(this Map)" : String.valueOf(entry.getValue()));
      if (it.hasNext()) {
        text.append(", ");
      }
    }
    return text.append('}').toString();
  }

  private static String managerRenderingIfUndecodable(ProxyHandle self, ManagerException e) {
    if (e.code() != ManagerException.Code.UNSUPPORTED_VALUE) {
      throw e;
    }
    // A value another client stored with a codec this one lacks: the manager's rendering names it.
    return String.valueOf(self.call(ObjectMethod.TO_STRING));
  }

  // A nested proxy of the same referent, as a JDK collection holding itself.
  private static boolean isSelf(ProxyHandle self, Object element) {
    return element instanceof SharedObject other && self.sameReferent(other);
  }
}
