package org.multiprocessing4j.server;

import java.util.Objects;
import java.util.function.LongConsumer;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code value} type: one value, with atomic arithmetic and an associated lock. */
final class ValueReferent implements Referent {
  private final GuardLock guard;
  private Object value;

  ValueReferent(Object initial, ManagerState state) {
    this.value = initial;
    this.guard = new GuardLock(state);
  }

  @Override
  public String typeId() {
    return TypeIds.VALUE;
  }

  @Override
  public Object invoke(String method, Object[] args, Call call) throws Exception {
    switch (method) {
      case "get":
        return value;
      case "set":
        Args.count(typeId(), method, args, 1);
        value = args[0];
        return null;
      case "getAndSet":
        {
          Args.count(typeId(), method, args, 1);
          Object previous = value;
          value = args[0];
          return previous;
        }
      case "compareAndSet":
        Args.count(typeId(), method, args, 2);
        if (Objects.equals(value, args[0])) {
          value = args[1];
          return true;
        }
        return false;
      case "addAndGet":
        Args.count(typeId(), method, args, 1);
        value = Numbers.add(value, args[0]);
        return value;
      case "getAndAdd":
        {
          Args.count(typeId(), method, args, 1);
          Object previous = value;
          value = Numbers.add(value, args[0]);
          return previous;
        }
      case "getLock":
        return guard.ref();
      default:
        throw new MethodNotExposedException(typeId(), method);
    }
  }

  @Override
  public void forEachReference(LongConsumer visitor) {
    NestedRefs.visit(value, visitor);
    guard.visit(visitor);
  }

  @Override
  public String describe() {
    return "Value(" + value + ")";
  }
}
