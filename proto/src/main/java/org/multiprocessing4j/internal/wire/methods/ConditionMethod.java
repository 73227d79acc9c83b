package org.multiprocessing4j.internal.wire.methods;

/**
 * The methods of the {@code condition} type. A wait is two parked calls: {@link #AWAIT} (release
 * the lock and wait, atomically) then {@link #REACQUIRE} (wait for the lock, restore its holds).
 * Immutable.
 */
public enum ConditionMethod implements SharedMethod {
  AWAIT("await", 0, 0),
  REACQUIRE("reacquire", 0, 0),
  /** {@code signal()} wakes one waiter, {@code signal(n)} up to n. */
  SIGNAL("signal", 0, 1),
  SIGNAL_ALL("signalAll", 0, 0),
  GET_LOCK("getLock", 0, 0),
  WAITING("waiting", 0, 0);

  private final Signature signature;

  ConditionMethod(String wireName, int minArgs, int maxArgs) {
    this.signature = new Signature(wireName, minArgs, maxArgs);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
