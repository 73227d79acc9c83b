package org.multiprocessing4j.internal.wire.methods;

/**
 * The methods every shared object has, whatever its type: the manager answers them itself.
 * Immutable.
 */
public enum ObjectMethod implements SharedMethod {
  /** The manager's description of the referent. */
  TO_STRING("toString", 0);

  private final Signature signature;

  ObjectMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
