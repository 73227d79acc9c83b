package org.multiprocessing4j.internal.wire.methods;

/** The methods of the {@code barrier} type. Immutable. */
public enum BarrierMethod implements SharedMethod {
  /** The argument: whether the caller gave its own timeout (it then gets a TimeoutException). */
  AWAIT("await", 1),
  /** A party arriving interrupted breaks the barrier for the others (as CyclicBarrier). */
  ARRIVE_INTERRUPTED("arriveInterrupted", 0),
  ABORT("abort", 0),
  RESET("reset", 0),
  IS_BROKEN("isBroken", 0),
  GET_NUMBER_WAITING("getNumberWaiting", 0),
  GET_PARTIES("getParties", 0),
  /** {@code [parties, default timeout in nanoseconds or -1]}: fixed at creation. */
  CONFIG("config", 0);

  private final Signature signature;

  BarrierMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
