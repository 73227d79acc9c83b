package org.multiprocessing4j.server;

import org.multiprocessing4j.internal.wire.methods.EventMethod;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code event} type (Python's Event): a flag; {@code await} parks until it is set. */
final class EventReferent extends BuiltInReferent<EventMethod> {
  private static final ExposedMethods<EventMethod> METHODS = ExposedMethods.all(EventMethod.class);

  private final WaitQueue waiters = new WaitQueue();
  private boolean flag;

  EventReferent() {
    super(TypeIds.EVENT, METHODS);
  }

  @Override
  Object run(EventMethod method, Object[] args, Call call) throws MethodNotExposedException {
    return switch (method) {
      case SET -> {
        flag = true;
        waiters.completeAll(true);
        yield null;
      }
      case CLEAR -> {
        flag = false;
        yield null;
      }
      case IS_SET -> flag;
      case AWAIT -> {
        if (flag) {
          yield true;
        }
        yield waiters.park(call);
      }
    };
  }

  @Override
  public void freed() {
    waiters.withdrawAll();
  }

  @Override
  public String describe() {
    return "<Event " + (flag ? "set" : "unset") + ", " + waiters.size() + " waiting>";
  }
}
