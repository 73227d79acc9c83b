package org.multiprocessing4j.internal.wire;

import org.multiprocessing4j.proto.v1.PrimitiveArray;

/**
 * Java primitive arrays to the wire's {@code PrimitiveArray} and back, with Python's typecodes
 * ({@code i} int, {@code l} long, {@code h} short, {@code b} byte, {@code c} char, {@code ?}
 * boolean, {@code d} double, {@code f} float). Both codecs use it, so an array comes back as the
 * same Java type it was sent as. Stateless.
 */
public final class PrimitiveArrays {
  private PrimitiveArrays() {}

  /**
   * The wire form of {@code array}, a primitive array.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static PrimitiveArray toWire(Object array) {
    PrimitiveArray.Builder b = PrimitiveArray.newBuilder();
    if (array instanceof int[] ints) {
      b.setTypecode("i");
      for (int v : ints) {
        b.addIntegers(v);
      }
    } else if (array instanceof long[] longs) {
      b.setTypecode("l");
      for (long v : longs) {
        b.addIntegers(v);
      }
    } else if (array instanceof short[] shorts) {
      b.setTypecode("h");
      for (short v : shorts) {
        b.addIntegers(v);
      }
    } else if (array instanceof char[] chars) {
      b.setTypecode("c");
      for (char v : chars) {
        b.addIntegers(v);
      }
    } else if (array instanceof boolean[] booleans) {
      b.setTypecode("?");
      for (boolean v : booleans) {
        b.addIntegers(v ? 1 : 0);
      }
    } else if (array instanceof double[] doubles) {
      b.setTypecode("d");
      for (double v : doubles) {
        b.addFloats(v);
      }
    } else if (array instanceof float[] floats) {
      b.setTypecode("f");
      for (float v : floats) {
        b.addFloats(v);
      }
    } else {
      throw new IllegalArgumentException("unsupported array " + array.getClass());
    }
    return b.build();
  }

  /**
   * The primitive array {@code array} stands for.
   *
   * @throws IllegalArgumentException for an unknown typecode
   * @throws ArithmeticException for an element out of its type's range
   */
  public static Object toJava(PrimitiveArray array) {
    String code = array.getTypecode();
    boolean floating = code.equals("d") || code.equals("f");
    int n = floating ? array.getFloatsCount() : array.getIntegersCount();
    switch (code) {
      case "i" -> {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
          values[i] = Math.toIntExact(array.getIntegers(i));
        }
        return values;
      }
      case "l" -> {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
          values[i] = array.getIntegers(i);
        }
        return values;
      }
      case "h" -> {
        short[] values = new short[n];
        for (int i = 0; i < n; i++) {
          values[i] = (short) array.getIntegers(i);
        }
        return values;
      }
      case "b" -> {
        byte[] values = new byte[n];
        for (int i = 0; i < n; i++) {
          values[i] = (byte) array.getIntegers(i);
        }
        return values;
      }
      case "c" -> {
        char[] values = new char[n];
        for (int i = 0; i < n; i++) {
          values[i] = (char) array.getIntegers(i);
        }
        return values;
      }
      case "?" -> {
        boolean[] values = new boolean[n];
        for (int i = 0; i < n; i++) {
          values[i] = array.getIntegers(i) != 0;
        }
        return values;
      }
      case "d" -> {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
          values[i] = array.getFloats(i);
        }
        return values;
      }
      case "f" -> {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
          values[i] = (float) array.getFloats(i);
        }
        return values;
      }
      default -> throw new IllegalArgumentException("unknown array typecode '" + code + "'");
    }
  }
}
