package org.multiprocessing4j.internal.proxy;

import java.time.Duration;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.internal.wire.methods.EventMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/** Proxy of a manager-held {@code event}. */
final class EventProxy extends AbstractProxy implements SharedEvent {
  private static final long serialVersionUID = 1L;

  EventProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.EVENT);
  }

  @Override
  public void set() {
    call(EventMethod.SET);
  }

  @Override
  public void clear() {
    call(EventMethod.CLEAR);
  }

  @Override
  public boolean isSet() {
    return (Boolean) call(EventMethod.IS_SET);
  }

  @Override
  public void await() throws InterruptedException {
    blocking(EventMethod.AWAIT, Blocking.FOREVER);
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    return blockingWithin(EventMethod.AWAIT, timeout);
  }
}
