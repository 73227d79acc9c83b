package org.multiprocessing4j.internal.wire.methods;

/** The methods of the {@code list} type. Immutable. */
public enum ListMethod implements SharedMethod {
  SIZE("size", 0),
  GET("get", 1),
  SET("set", 2),
  ADD("add", 1),
  INSERT("insert", 2),
  REMOVE_AT("removeAt", 1),
  REMOVE("remove", 1),
  INDEX_OF("indexOf", 1),
  LAST_INDEX_OF("lastIndexOf", 1),
  CONTAINS("contains", 1),
  COUNT("count", 1),
  CONTAINS_ALL("containsAll", 1),
  ADD_ALL("addAll", 1),
  ADD_ALL_AT("addAllAt", 2),
  REMOVE_ALL("removeAll", 1),
  RETAIN_ALL("retainAll", 1),
  CLEAR("clear", 0),
  REMOVE_RANGE("removeRange", 2),
  COPY("copy", 0),
  /** Lenient like Python slicing: positions past the end give fewer (or no) items. */
  RANGE("range", 2),
  SORT("sort", 0),
  REVERSE("reverse", 0),
  REPLACE_CONTENTS("replaceContents", 1);

  private final Signature signature;

  ListMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
