package org.multiprocessing4j.internal.wire.methods;

/** The methods of the {@code dict} type. Immutable. */
public enum DictMethod implements SharedMethod {
  SIZE("size", 0),
  GET("get", 1),
  CONTAINS_KEY("containsKey", 1),
  CONTAINS_VALUE("containsValue", 1),
  PUT("put", 2),
  REMOVE("remove", 1),
  PUT_ALL("putAll", 1),
  CLEAR("clear", 0),
  PUT_IF_ABSENT("putIfAbsent", 2),
  REMOVE_IF_EQUALS("removeIfEquals", 2),
  REPLACE_IF_EQUALS("replaceIfEquals", 3),
  REPLACE("replace", 2),
  COPY("copy", 0),
  KEYS("keys", 0),
  VALUES("values", 0);

  private final Signature signature;

  DictMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
