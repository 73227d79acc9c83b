package org.multiprocessing4j.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.LongConsumer;

/**
 * A user-registered type: calls are dispatched by name and argument count to the methods of its
 * exposed interface, and nothing else is callable (Python's {@code exposed}).
 */
final class ReflectiveReferent implements Referent {
  private final String typeId;
  private final Object target;
  private final Class<?> exposed;

  ReflectiveReferent(String typeId, Object target, Class<?> exposed) {
    this.typeId = typeId;
    this.target = target;
    this.exposed = exposed;
  }

  @Override
  public String typeId() {
    return typeId;
  }

  @Override
  public Object invoke(String method, Object[] args, Call call) throws Exception {
    Method chosen = null;
    for (Method candidate : exposed.getMethods()) {
      if (candidate.getName().equals(method) && candidate.getParameterCount() == args.length) {
        chosen = candidate;
        break;
      }
    }
    if (chosen == null) {
      throw new MethodNotExposedException(typeId, method + "/" + args.length);
    }
    try {
      return chosen.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          typeId + "." + method + ": arguments do not match " + chosen, e);
    }
  }

  @Override
  public void forEachReference(LongConsumer visitor) {}

  @Override
  public String describe() {
    return String.valueOf(target);
  }
}
