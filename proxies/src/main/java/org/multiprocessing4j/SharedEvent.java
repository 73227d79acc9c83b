package org.multiprocessing4j;

import java.time.Duration;

/**
 * A flag held by a manager that processes can wait for (Python's {@code Manager().Event()}). A
 * waiter costs the manager no thread; a timed or interrupted wait is withdrawn on the manager.
 *
 * <p>Thread-safe. Memory consistency effects: actions before {@link #set()} happen-before a wait
 * that returns true because of it.
 */
public interface SharedEvent extends SharedObject {

  /** Sets the flag and wakes every waiter. */
  void set();

  /** Clears the flag; later waits block until the next {@link #set()}. */
  void clear();

  /** Python's {@code is_set()}. */
  boolean isSet();

  /** Waits until the flag is set (at once if it is). */
  void await() throws InterruptedException;

  /**
   * Waits at most {@code timeout} for the flag (Python's {@code wait(timeout)}).
   *
   * @return the flag: true if set, false if the timeout elapsed first
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  boolean await(Duration timeout) throws InterruptedException;
}
