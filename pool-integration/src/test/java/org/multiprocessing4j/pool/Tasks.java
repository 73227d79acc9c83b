package org.multiprocessing4j.pool;

import java.io.Serializable;

/** Task bodies shared by the tests; static, so the lambdas calling them capture nothing else. */
final class Tasks {
  private Tasks() {}

  static int sqr(int x) {
    return x * x;
  }

  /** Python's {@code sqr(x, wait)}. */
  static int sqr(int x, long waitMillis) {
    sleep(waitMillis);
    return x * x;
  }

  static int mul(int a, int b) {
    return a * b;
  }

  static long pid() {
    return ProcessHandle.current().pid();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A task that runs until it is interrupted (or its worker is killed). */
  static void blockUntilInterrupted() throws InterruptedException {
    new java.util.concurrent.CountDownLatch(1).await();
  }

  /** Thrown from inside a worker; Python's {@code raising()}. */
  // a task that fails on purpose, called in a worker
  @SuppressWarnings("DoNotCallSuggester")
  static Object raiseIllegalArgument(String message) {
    throw new IllegalArgumentException(message);
  }

  /** A value that cannot be serialized: Python's unpicklable {@code A()}. */
  static final class Unserializable {
    @Override
    public String toString() {
      return "Unserializable";
    }
  }

  /** An exception whose serialization fails: the pool rebuilds it from its class and message. */
  static final class ExceptionWithUnserializableField extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // deliberately not serializable
    private final Object state = new Unserializable();

    ExceptionWithUnserializableField(String message) {
      super(message);
    }

    Object state() {
      return state;
    }
  }

  /** A serializable value holder for tests that need a custom type. */
  static final class Box implements Serializable {
    private static final long serialVersionUID = 1L;
    final int value;

    Box(int value) {
      this.value = value;
    }
  }
}
