package org.multiprocessing4j.server;

import java.util.Objects;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.wire.methods.ValueMethod;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code value} type: one value, with atomic arithmetic and an associated lock. */
final class ValueReferent extends BuiltInReferent<ValueMethod> {
  private static final ExposedMethods<ValueMethod> METHODS = ExposedMethods.all(ValueMethod.class);

  private final GuardLock guard;
  private Object value;

  ValueReferent(Object initial, ManagerState state) {
    super(TypeIds.VALUE, METHODS);
    this.value = initial;
    this.guard = new GuardLock(state);
  }

  @Override
  Object run(ValueMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case GET -> value;
      case SET -> {
        value = args[0];
        yield null;
      }
      case GET_AND_SET -> {
        Object previous = value;
        value = args[0];
        yield previous;
      }
      case COMPARE_AND_SET -> {
        if (!Objects.equals(value, args[0])) {
          yield false;
        }
        value = args[1];
        yield true;
      }
      case ADD_AND_GET -> {
        value = Numbers.add(value, args[0]);
        yield value;
      }
      case GET_AND_ADD -> {
        Object previous = value;
        value = Numbers.add(value, args[0]);
        yield previous;
      }
      case GET_LOCK -> guard.ref();
    };
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
