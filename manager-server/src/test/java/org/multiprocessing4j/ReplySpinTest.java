package org.multiprocessing4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The adaptive policy of {@link ReplySpin}: when a caller spins for its reply and when not. */
class ReplySpinTest {
  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

  @Test
  void threeRepliesInARowThatOutlastTheSpinStopItUntilTheNextProbe() {
    ReplySpin spin = new ReplySpin(SPIN_NANOS);
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
    ReplySpin spin = new ReplySpin(SPIN_NANOS);
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
    ReplySpin spin = new ReplySpin(SPIN_NANOS);
    for (int i = 0; i < ReplySpin.MISSES_TO_STOP; i++) {
      assertTrue(spin.spinFor(new DoneAfter(SPIN_NANOS * 3 / 4)));
    }
    assertFalse(spin.spinFor(new DoneAfter(SPIN_NANOS * 3 / 4)));
  }

  @Test
  void noSpinForADoneReplyOrWhenTurnedOff() {
    assertFalse(new ReplySpin(SPIN_NANOS).spinFor(CompletableFuture.completedFuture(1)));
    assertFalse(new ReplySpin(0).spinFor(new CompletableFuture<>()));
  }

  /** A reply that lands this long after it is first asked about. */
  private static final class DoneAfter extends CompletableFuture<Object> {
    private final long nanos;
    private long firstLook;

    DoneAfter(long nanos) {
      this.nanos = nanos;
    }

    @Override
    public boolean isDone() {
      long now = System.nanoTime();
      if (firstLook == 0) {
        firstLook = now;
      }
      return now - firstLook >= nanos;
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
