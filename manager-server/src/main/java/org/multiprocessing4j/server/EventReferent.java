package org.multiprocessing4j.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.internal.wire.methods.EventMethod;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code event} type (Python's Event): a flag; {@code await} parks until it is set. */
final class EventReferent extends BuiltInReferent<EventMethod> {
  private static final ExposedMethods<EventMethod> METHODS = ExposedMethods.all(EventMethod.class);

  private final ArrayDeque<Call> waiters = new ArrayDeque<>();
  private boolean flag;

  EventReferent() {
    super(TypeIds.EVENT, METHODS);
  }

  @Override
  Object run(EventMethod method, Object[] args, Call call) throws MethodNotExposedException {
    return switch (method) {
      case SET -> {
        flag = true;
        List<Call> released = new ArrayList<>(waiters);
        waiters.clear();
        released.forEach(waiter -> waiter.complete(true));
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
        if (!call.mayWait()) {
          yield false;
        }
        waiters.add(call);
        yield call.park(() -> waiters.remove(call), () -> false);
      }
    };
  }

  @Override
  public void freed() {
    List<Call> parked = new ArrayList<>(waiters);
    parked.forEach(Call::withdraw);
  }

  @Override
  public String describe() {
    return "<Event " + (flag ? "set" : "unset") + ", " + waiters.size() + " waiting>";
  }
}
