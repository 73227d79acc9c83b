package org.multiprocessing4j.internal.proxy;

import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/** Proxy of a manager-held {@code queue}. */
final class QueueProxy<E> extends BaseQueueProxy<E> {
  private static final long serialVersionUID = 1L;

  QueueProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.QUEUE);
  }
}
