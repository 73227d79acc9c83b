package org.multiprocessing4j.server;

import java.lang.reflect.Array;

/** A primitive array as it arrives in a create call for the {@code array} type. */
final class TypedArray {
  final String typecode;
  final Object values;

  TypedArray(String typecode, Object values) {
    this.typecode = typecode;
    this.values = values;
  }

  int length() {
    return Array.getLength(values);
  }
}
