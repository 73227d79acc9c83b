package org.multiprocessing4j.internal.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adaptive policy of {@link ReplySpin}: when a caller spins for its reply and when not. Time is
 * a fake clock that moves 1 µs each time the spin reads it, so no test depends on the scheduler.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplySpinTest {
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  private final FakeClock clock = new FakeClock();

  @Test
  void threeRepliesInARowThatOutlastTheSpinStopItUntilTheNextProbe() {
    ReplySpin spin = new ReplySpin(SPIN_NANOS, clock);
    CompletableFuture<Object> never = new CompletableFuture<>();
    for (int i = 0; i < ReplySpin.MISSES_TO_STOP; i++) {
      assertTrue(spin.spinFor(never), "miss " + (i + 1) + " still spins");
    }
    for (int i = 0; i < ReplySpin.CALLS_BETWEEN_PROBES; i++) {
      assertFalse(spin.spinFor(never), "call " + (i + 1) + " after the misses parks at once");
    }
    assertTrue(spin.spinFor(never), "the probe spins again");
  }

  @Test
  void aReplyThatComesWithinTheSpinForgivesEarlierMisses() {
    ReplySpin spin = new ReplySpin(SPIN_NANOS, clock);
    CompletableFuture<Object> never = new CompletableFuture<>();
    for (int i = 0; i < ReplySpin.MISSES_TO_STOP - 1; i++) {
      spin.spinFor(never);
    }
    assertTrue(spin.spinFor(new DoneOnSecondLook()));
    for (int i = 0; i < ReplySpin.MISSES_TO_STOP; i++) {
      assertTrue(spin.spinFor(never), "miss " + (i + 1) + " after the hit still spins");
    }
    assertFalse(spin.spinFor(never));
  }

  @Test
  void repliesThatComeLateInTheSpinStopItLikeMisses() {
    // Late hits mean the spinning itself holds CPU time the manager and other clients need.
    ReplySpin spin = new ReplySpin(SPIN_NANOS, clock);
    for (int i = 0; i < ReplySpin.MISSES_TO_STOP; i++) {
      assertTrue(spin.spinFor(new DoneAfter(clock, SPIN_NANOS * 3 / 4)));
    }
    assertFalse(spin.spinFor(new DoneAfter(clock, SPIN_NANOS * 3 / 4)));
  }

  @Test
  void noSpinForADoneReplyOrWhenTurnedOff() {
    assertFalse(new ReplySpin(SPIN_NANOS, clock).spinFor(CompletableFuture.completedFuture(1)));
    assertFalse(new ReplySpin(0).spinFor(new CompletableFuture<>()));
  }

  /** Time that passes only when the spin reads it, 1 µs a read. */
  private static final class FakeClock implements LongSupplier {
    private long now;

    @Override
    public long getAsLong() {
      now += TimeUnit.MICROSECONDS.toNanos(1);
      return now;
    }

    long peek() {
      return now;
    }
  }

  /** A reply that lands this long (on the fake clock) after it is first asked about. */
  private static final class DoneAfter extends CompletableFuture<Object> {
    private final FakeClock clock;
    private final long nanos;
    private long firstLook = -1;

    DoneAfter(FakeClock clock, long nanos) {
      this.clock = clock;
      this.nanos = nanos;
    }

    @Override
    public boolean isDone() {
      if (firstLook < 0) {
        firstLook = clock.peek();
      }
      return clock.peek() - firstLook >= nanos;
    }
  }

  /** A reply that lands while the caller spins: not done when asked first, done after. */
  private static final class DoneOnSecondLook extends CompletableFuture<Object> {
    private int looks;

    @Override
    public boolean isDone() {
      return ++looks > 1;
    }
  }
}
