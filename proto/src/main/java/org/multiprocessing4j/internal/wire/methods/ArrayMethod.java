package org.multiprocessing4j.internal.wire.methods;

/** The methods of the {@code array} type. Immutable. */
public enum ArrayMethod implements SharedMethod {
  LENGTH("length", 0),
  GET("get", 1),
  SET("set", 2),
  ADD_AND_GET("addAndGet", 2),
  SLICE("slice", 2),
  SET_SLICE("setSlice", 2),
  TO_LIST("toList", 0),
  GET_LOCK("getLock", 0);

  private final Signature signature;

  ArrayMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
