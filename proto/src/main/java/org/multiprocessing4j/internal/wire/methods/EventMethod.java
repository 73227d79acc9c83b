package org.multiprocessing4j.internal.wire.methods;

/** The methods of the {@code event} type. Immutable. */
public enum EventMethod implements SharedMethod {
  SET("set", 0),
  CLEAR("clear", 0),
  IS_SET("isSet", 0),
  AWAIT("await", 0);

  private final Signature signature;

  EventMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
