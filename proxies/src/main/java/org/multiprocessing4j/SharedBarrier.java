package org.multiprocessing4j;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier held by a manager (Python's {@code Manager().Barrier(parties, timeout=t)}), with
 * the method names of {@link java.util.concurrent.CyclicBarrier}: {@code parties} processes (or
 * threads) each call {@link #await()}, and all proceed once the last one arrives. It then resets
 * for the next round.
 *
 * <p>Arrival index: as {@code CyclicBarrier}, the first party to arrive gets {@code getParties() -
 * 1} and the last gets 0; exactly one party gets 0 per round (Python counts the other way; both
 * give each index once).
 *
 * <p>Breaking (Python's and {@code CyclicBarrier}'s rules): if a waiting party leaves early,
 * because its timeout elapsed, it was interrupted, or its process ended, if a party arrives with
 * its interrupt status set, or if anyone calls {@link #abort()}, the barrier is <em>broken</em>:
 * every waiter fails with {@link BrokenBarrierException}, except a party whose own {@link
 * #await(Duration)} timeout elapsed, which gets {@link TimeoutException} (as {@code
 * CyclicBarrier}). The barrier's default timeout ({@code Manager.barrier(parties, timeout)})
 * applies to {@link #await()} and fails every party with {@code BrokenBarrierException}, as in
 * Python. A broken barrier fails every {@code await} at once until {@link #reset()}. {@code
 * reset()} with parties waiting breaks them and leaves the barrier usable.
 *
 * <p>Barrier actions (Python's {@code action}, run once per round before anyone proceeds) are not
 * supported: a Java lambda cannot run in the manager. Run the action in the party that got index 0,
 * then meet at the barrier a second time: {@code if (b.await() == 0) action(); b.await();}.
 *
 * <p>Waiting costs the manager no thread. Thread-safe.
 */
public interface SharedBarrier extends SharedObject {

  /**
   * Waits until every party has arrived, or the barrier's default timeout (if any) elapsed.
   *
   * @return the arrival index: {@code getParties() - 1} for the first, 0 for the last
   * @throws BrokenBarrierException if the barrier is or becomes broken while waiting, or its
   *     default timeout elapsed
   * @throws InterruptedException if interrupted on arrival or while waiting; the barrier is then
   *     broken for the others (a barrier already broken throws {@code BrokenBarrierException})
   */
  int await() throws InterruptedException, BrokenBarrierException;

  /**
   * Waits at most {@code timeout} for every party.
   *
   * @throws TimeoutException if {@code timeout} elapsed; the barrier is then broken for the others
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  int await(Duration timeout) throws InterruptedException, BrokenBarrierException, TimeoutException;

  /** Breaks the barrier: current and later waiters fail until {@link #reset()}. */
  void abort();

  /** Breaks current waiters (if any) and makes the barrier usable again. */
  void reset();

  /** True if broken (Python's {@code broken}). */
  boolean isBroken();

  /** Python's {@code parties}. Fetched once, then cached. */
  int getParties();

  /** Python's {@code n_waiting}: parties waiting now. */
  int getNumberWaiting();
}
