package org.multiprocessing4j.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code event} type (Python's Event): a flag; {@code await} parks until it is set. */
final class EventReferent implements Referent {
  private final ArrayDeque<Call> waiters = new ArrayDeque<>();
  private boolean flag;

  @Override
  public String typeId() {
    return TypeIds.EVENT;
  }

  @Override
  public Object invoke(String method, Object[] args, Call call) throws MethodNotExposedException {
    switch (method) {
      case "set":
        Args.count(typeId(), method, args, 0);
        flag = true;
        List<Call> released = new ArrayList<>(waiters);
        waiters.clear();
        released.forEach(waiter -> waiter.complete(true));
        return null;
      case "clear":
        Args.count(typeId(), method, args, 0);
        flag = false;
        return null;
      case "isSet":
        Args.count(typeId(), method, args, 0);
        return flag;
      case "await":
        Args.count(typeId(), method, args, 0);
        if (flag) {
          return true;
        }
        if (!call.mayWait()) {
          return false;
        }
        waiters.add(call);
        return call.park(() -> waiters.remove(call), () -> false);
      default:
        throw new MethodNotExposedException(typeId(), method);
    }
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
