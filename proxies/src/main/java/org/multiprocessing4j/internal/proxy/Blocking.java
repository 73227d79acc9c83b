package org.multiprocessing4j.internal.proxy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.wire.methods.SharedMethod;

/** Shared rules of the blocking proxies: interrupt checks and timeout conversion. */
final class Blocking {
  /** The timeout an {@code Invoker.invokeBlocking} call takes for "wait without bound". */
  static final long FOREVER = -1;

  private Blocking() {}

  /** A blocking method called with the interrupt status set throws at once, as the JDK's do. */
  static void checkInterrupted() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  /**
   * Waits on the manager until {@code method} completes, ignoring interrupts ({@code lock()},
   * {@code acquireUninterruptibly()}, the re-acquisition after a condition wait): an interrupt
   * neither ends nor withdraws the wait, so it keeps its place in the manager's queue (as a JDK
   * lock's waiter does); the interrupt status is set on return if it was set meanwhile.
   */
  static void uninterruptibly(ProxyHandle handle, SharedMethod method) {
    handle.callBlockingUninterruptibly(method, FOREVER);
  }

  /**
   * Python's rule for {@code acquire(blocking=False, timeout=...)}: a non-blocking acquire takes no
   * timeout (a negative one means none).
   */
  static void requireNoTimeout(long timeout) {
    if (timeout >= 0) {
      throw new IllegalArgumentException("a non-blocking acquire cannot have a timeout");
    }
  }

  /** JDK rule for {@code (long, TimeUnit)} timeouts: zero or negative means do not wait. */
  static long nanos(long timeout, TimeUnit unit) {
    requireNonNull(unit, "unit");
    return Math.max(0, unit.toNanos(timeout));
  }

  /** Python rule for {@link Duration} timeouts: negative is an error (Python's ValueError). */
  static long nanos(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }
}
