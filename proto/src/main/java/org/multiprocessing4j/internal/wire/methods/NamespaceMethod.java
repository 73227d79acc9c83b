package org.multiprocessing4j.internal.wire.methods;

/** The methods of the {@code namespace} type. Immutable. */
public enum NamespaceMethod implements SharedMethod {
  GET("get", 1),
  SET("set", 2),
  HAS("has", 1),
  DELETE("delete", 1),
  COPY("copy", 0);

  private final Signature signature;

  NamespaceMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
