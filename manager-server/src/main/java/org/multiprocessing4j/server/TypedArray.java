package org.multiprocessing4j.server;

import java.lang.reflect.Array;
import org.multiprocessing4j.proto.v1.PrimitiveArray;

/**
 * A primitive array as it arrived: the argument of a create for the {@code array} type, or a value
 * stored inside another object (sent back exactly as it came, from {@code wire}).
 */
final class TypedArray {
  final String typecode;
  final Object values;
  final PrimitiveArray wire;

  TypedArray(String typecode, Object values, PrimitiveArray wire) {
    this.typecode = typecode;
    this.values = values;
    this.wire = wire;
  }

  int length() {
    return Array.getLength(values);
  }
}
