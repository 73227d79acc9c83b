package org.multiprocessing4j.internal.proxy;

import java.time.Duration;
import org.multiprocessing4j.SharedJoinableQueue;
import org.multiprocessing4j.internal.wire.methods.QueueMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/** Proxy of a manager-held {@code joinableQueue}. */
final class JoinableQueueProxy<E> extends BaseQueueProxy<E> implements SharedJoinableQueue<E> {
  private static final long serialVersionUID = 1L;

  JoinableQueueProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.JOINABLE_QUEUE);
  }

  @Override
  public void taskDone() {
    call(QueueMethod.TASK_DONE);
  }

  @Override
  public void join() throws InterruptedException {
    blocking(QueueMethod.JOIN, Blocking.FOREVER);
  }

  @Override
  public boolean join(Duration timeout) throws InterruptedException {
    return blockingWithin(QueueMethod.JOIN, timeout);
  }

  @Override
  public long unfinishedTasks() {
    return ((Number) call(QueueMethod.UNFINISHED_TASKS)).longValue();
  }
}
