package org.multiprocessing4j.internal.client;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spins briefly for a reply before the caller parks. A parked caller's CPU goes idle, and on a
 * virtual machine waking it when the reply lands can cost more than the round trip itself; a caller
 * that spins stays awake. Adaptive, because spinning pays only while replies come quickly: {@link
 * #MISSES_TO_STOP} replies in a row that take more than half the spin (a busy manager, more clients
 * than CPUs, so the spinning takes CPU time others need; or a wait for another process) turn
 * spinning off for the next {@link #CALLS_BETWEEN_PROBES} calls, after which one call tries again.
 * One slow reply now and then (a GC, a timer) does not. Off with one CPU, where a spinning caller
 * only delays the manager.
 *
 * <p>Thread safety: its two counters are read and written by every calling thread without
 * synchronization, on purpose. A lost update only moves the next probe by a few calls, and a lock
 * or an atomic here would cost the calls it is meant to speed up.
 */
final class ReplySpin {
  static final int MISSES_TO_STOP = 3;
  static final int CALLS_BETWEEN_PROBES = 64;

  private final long spinNanos;
  private final LongSupplier nanoClock; // System::nanoTime, but for tests
  private int callsUntilProbe;
  private int misses;

  ReplySpin(long spinNanos) {
    this(spinNanos, System::nanoTime);
  }

  ReplySpin(long spinNanos, LongSupplier nanoClock) {
    this.spinNanos = spinNanos;
    this.nanoClock = nanoClock;
  }

  /** Spins of {@code mp4j.spinMicros} (default 200 µs), or none with one CPU. */
  static ReplySpin fromSystemProperties() {
    long micros = Math.max(0, Long.getLong("mp4j.spinMicros", 200));
    boolean oneCpu = Runtime.getRuntime().availableProcessors() == 1;
    return new ReplySpin(oneCpu ? 0 : TimeUnit.MICROSECONDS.toNanos(micros));
  }

  /**
   * Returns once {@code reply} is done or the spin is over, whichever is first; the caller then
   * waits as usual. Returns whether it spun at all.
   */
  boolean spinFor(Future<?> reply) {
    if (spinNanos == 0 || reply.isDone()) {
      return false;
    }
    if (callsUntilProbe > 0) {
      callsUntilProbe--;
      return false;
    }
    long start = nanoClock.getAsLong();
    long spun;
    do {
      Thread.onSpinWait();
      spun = nanoClock.getAsLong() - start;
      if (reply.isDone()) {
        break;
      }
    } while (spun < spinNanos);
    if (spun < spinNanos / 2) {
      misses = 0;
    } else if (++misses >= MISSES_TO_STOP) {
      misses = 0;
      callsUntilProbe = CALLS_BETWEEN_PROBES;
    }
    return true;
  }
}
