package org.multiprocessing4j;

/**
 * For the multi-JVM tests (package {@code it}): the manager's own description of a referent
 * (waiters, size), which {@code toString()} of a collection proxy no longer shows. Stateless.
 */
public final class ManagerView {
  private ManagerView() {}

  /** One round trip: the manager's rendering, e.g. {@code <Queue size=0, maxsize=0, 2 waiting to get>}. */
  public static String of(SharedObject proxy) {
    return String.valueOf(((AbstractProxy) proxy).invoker().invoke(proxy.objectId(), "toString"));
  }
}
