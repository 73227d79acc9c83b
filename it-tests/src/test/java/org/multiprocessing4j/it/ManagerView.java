package org.multiprocessing4j.it;

import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.internal.client.ClientInternals;

/**
 * The manager's own description of an object (waiters, size), which {@code toString()} of a
 * collection proxy does not show: for states no call can wait for. Stateless.
 */
final class ManagerView {
  private ManagerView() {}

  /**
   * One round trip through {@code via}, e.g. {@code <Queue size=0, maxsize=0, 2 waiting to get>}.
   */
  static String of(Manager via, SharedObject proxy) {
    return ClientInternals.describe(via, proxy);
  }
}
