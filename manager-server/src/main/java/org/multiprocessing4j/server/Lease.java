package org.multiprocessing4j.server;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How long a client may go without answering before its session expires, and the timer that checks.
 * The manager pings every quarter of the lease; the client's transport thread answers at once, so
 * only a client that is frozen (SIGSTOP, a debugger, a swap storm) or cut off misses a whole lease.
 * Immutable.
 */
final class Lease {
  final ScheduledExecutorService timer;
  final long timeoutNanos;

  Lease(ScheduledExecutorService timer, Duration timeout) {
    this.timer = timer;
    this.timeoutNanos = timeout.toNanos();
  }

  long checkPeriodNanos() {
    return timeoutNanos / 4;
  }
}
