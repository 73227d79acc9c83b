package org.multiprocessing4j;

import java.time.Duration;

/**
 * A {@link SharedQueue} that counts unfinished work (Python's {@code Manager().JoinableQueue()}).
 * Every element put raises the count; each {@link #taskDone()} lowers it; {@link #join()} waits
 * until it is zero, that is until every element put has been taken <em>and</em> reported done.
 *
 * <p>Typical use: consumers call {@code taskDone()} after processing each element they took (end
 * markers included), the producer calls {@code join()} after putting the last element.
 *
 * <p>Thread-safe. Memory consistency effects: a {@code join()} that returns happens-after the
 * {@code taskDone()} calls that brought the count to zero.
 */
public interface SharedJoinableQueue<E> extends SharedQueue<E> {

  /**
   * Reports one taken element as processed.
   *
   * @throws IllegalStateException if called more times than elements were put (Python's {@code
   *     ValueError}); the count does not change
   */
  void taskDone();

  /** Waits until every element put has been reported done. Costs the manager no thread. */
  void join() throws InterruptedException;

  /**
   * Waits at most {@code timeout} until every element put has been reported done.
   *
   * @return true if the count reached zero, false if the timeout elapsed first
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  boolean join(Duration timeout) throws InterruptedException;

  /** Elements put and not yet reported done. */
  long unfinishedTasks();
}
