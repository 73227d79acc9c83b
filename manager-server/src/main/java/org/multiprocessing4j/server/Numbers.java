package org.multiprocessing4j.server;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Arithmetic for the atomic add operations: the result keeps the stored value's type. */
final class Numbers {
  private Numbers() {}

  static Object add(Object stored, Object delta) {
    if (!(stored instanceof Number)) {
      throw new ClassCastException(
          "cannot add to a " + Args.describe(stored) + ": the stored value is not a number");
    }
    if (!(delta instanceof Number d)) {
      throw new ClassCastException("cannot add a " + Args.describe(delta) + ": not a number");
    }
    if (stored instanceof Integer i) {
      return Math.addExact(i, Math.toIntExact(exactLong(d)));
    } else if (stored instanceof Long l) {
      return Math.addExact(l, exactLong(d));
    } else if (stored instanceof Short s) {
      int sum = s + Math.toIntExact(exactLong(d));
      if (sum != (short) sum) {
        throw new ArithmeticException("short overflow");
      }
      return (short) sum;
    } else if (stored instanceof Byte b) {
      int sum = b + Math.toIntExact(exactLong(d));
      if (sum != (byte) sum) {
        throw new ArithmeticException("byte overflow");
      }
      return (byte) sum;
    } else if (stored instanceof Double storedDouble) {
      return storedDouble + d.doubleValue();
    } else if (stored instanceof Float f) {
      return f + d.floatValue();
    } else if (stored instanceof BigInteger bigInteger) {
      return bigInteger.add(new BigDecimal(d.toString()).toBigIntegerExact());
    } else if (stored instanceof BigDecimal bigDecimal) {
      return bigDecimal.add(new BigDecimal(d.toString()));
    }
    throw new ClassCastException("unsupported number type " + stored.getClass().getName());
  }

  private static long exactLong(Number n) {
    if (n instanceof Double || n instanceof Float) {
      double v = n.doubleValue();
      if (v != Math.rint(v)) {
        throw new ArithmeticException("cannot add the fraction " + v + " to an integer value");
      }
      return (long) v;
    }
    if (n instanceof BigInteger || n instanceof BigDecimal) {
      return new BigDecimal(n.toString()).longValueExact();
    }
    return n.longValue();
  }
}
