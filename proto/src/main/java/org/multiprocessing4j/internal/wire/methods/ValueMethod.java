package org.multiprocessing4j.internal.wire.methods;

/** The methods of the {@code value} type. Immutable. */
public enum ValueMethod implements SharedMethod {
  GET("get", 0),
  SET("set", 1),
  GET_AND_SET("getAndSet", 1),
  COMPARE_AND_SET("compareAndSet", 2),
  ADD_AND_GET("addAndGet", 1),
  GET_AND_ADD("getAndAdd", 1),
  GET_LOCK("getLock", 0);

  private final Signature signature;

  ValueMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
