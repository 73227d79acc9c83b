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
    if (!(delta instanceof Number)) {
      throw new ClassCastException("cannot add a " + Args.describe(delta) + ": not a number");
    }
    Number d = (Number) delta;
    if (stored instanceof Integer) {
      return Math.addExact((Integer) stored, Math.toIntExact(exactLong(d)));
    } else if (stored instanceof Long) {
      return Math.addExact((Long) stored, exactLong(d));
    } else if (stored instanceof Short) {
      int sum = (Short) stored + Math.toIntExact(exactLong(d));
      if (sum != (short) sum) {
        throw new ArithmeticException("short overflow");
      }
      return (short) sum;
    } else if (stored instanceof Byte) {
      int sum = (Byte) stored + Math.toIntExact(exactLong(d));
      if (sum != (byte) sum) {
        throw new ArithmeticException("byte overflow");
      }
      return (byte) sum;
    } else if (stored instanceof Double) {
      return (Double) stored + d.doubleValue();
    } else if (stored instanceof Float) {
      return (Float) stored + d.floatValue();
    } else if (stored instanceof BigInteger) {
      return ((BigInteger) stored).add(new BigDecimal(d.toString()).toBigIntegerExact());
    } else if (stored instanceof BigDecimal) {
      return ((BigDecimal) stored).add(new BigDecimal(d.toString()));
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
