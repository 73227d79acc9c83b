package org.multiprocessing4j.pool;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Constructor;

/**
 * An exception on its way from a worker to the parent. It carries the exception itself, serialized
 * (same type, message, stack trace, causes), and a description to rebuild it from when that
 * serialization fails in the worker or its deserialization fails in the parent (an exception with
 * an unserializable field, a class the parent cannot load).
 */
final class RemoteFailure implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAX_CAUSES = 16;

  private final byte[] serialized;
  private final String className;
  private final String message;
  private final StackTraceElement[] stackTrace;
  private final RemoteFailure cause;

  private RemoteFailure(
      byte[] serialized,
      String className,
      String message,
      StackTraceElement[] stackTrace,
      RemoteFailure cause) {
    this.serialized = serialized;
    this.className = className;
    this.message = message;
    this.stackTrace = stackTrace;
    this.cause = cause;
  }

  /** Describes {@code t} in the worker. */
  static RemoteFailure of(Throwable t) {
    byte[] bytes;
    try {
      bytes = Wire.serialize(t);
    } catch (IOException | RuntimeException e) {
      bytes = null;
    }
    return describe(t, bytes, 0);
  }

  private static RemoteFailure describe(Throwable t, byte[] bytes, int depth) {
    Throwable next = t.getCause();
    RemoteFailure cause =
        next != null && next != t && depth < MAX_CAUSES ? describe(next, null, depth + 1) : null;
    return new RemoteFailure(
        bytes, t.getClass().getName(), t.getMessage(), t.getStackTrace(), cause);
  }

  /** The exception in the parent: the original if it deserializes, else a rebuilt one. */
  Throwable toThrowable(ClassLoader loader) {
    if (serialized != null) {
      try {
        Object value = Wire.deserialize(serialized, loader);
        if (value instanceof Throwable throwable) {
          return throwable;
        }
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        // rebuild below
      }
    }
    return rebuild(loader);
  }

  private Throwable rebuild(ClassLoader loader) {
    Throwable rebuiltCause = cause == null ? null : cause.rebuild(loader);
    Throwable t = instantiate(loader, rebuiltCause);
    if (t == null) {
      t =
          new ProcessPoolException(
              className
                  + (message == null ? "" : ": " + message)
                  + " (the task's exception could not be sent as itself)",
              rebuiltCause);
    }
    t.setStackTrace(stackTrace);
    return t;
  }

  private static Constructor<?> constructor(Class<?> type, Class<?>... parameters) {
    try {
      Constructor<?> c = type.getDeclaredConstructor(parameters);
      return c.trySetAccessible() ? c : null;
    } catch (NoSuchMethodException | RuntimeException e) {
      return null;
    }
  }

  /** The same class through its (String, Throwable) or (String) constructor, or null. */
  private Throwable instantiate(ClassLoader loader, Throwable rebuiltCause) {
    try {
      Class<?> type = Class.forName(className, false, loader);
      if (!Throwable.class.isAssignableFrom(type)) {
        return null;
      }
      Constructor<?> withCause = constructor(type, String.class, Throwable.class);
      if (withCause != null) {
        return (Throwable) withCause.newInstance(message, rebuiltCause);
      }
      Constructor<?> withMessage = constructor(type, String.class);
      if (withMessage == null) {
        return null;
      }
      Throwable t = (Throwable) withMessage.newInstance(message);
      if (rebuiltCause != null && t.getCause() == null) {
        t.initCause(rebuiltCause);
      }
      return t;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
