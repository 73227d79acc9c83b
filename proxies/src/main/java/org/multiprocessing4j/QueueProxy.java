package org.multiprocessing4j;

import org.multiprocessing4j.spi.Invoker;

/** Proxy of a manager-held {@code queue}. */
final class QueueProxy<E> extends BaseQueueProxy<E> {
  private static final long serialVersionUID = 1L;

  QueueProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.QUEUE);
  }
}
