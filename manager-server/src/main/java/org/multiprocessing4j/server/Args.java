package org.multiprocessing4j.server;

import org.multiprocessing4j.internal.wire.methods.SharedMethod;

/** Argument checks for referent methods: clear messages instead of casts failing deep inside. */
final class Args {
  private Args() {}

  static void count(String typeId, String method, Object[] args, int expected) {
    if (args.length != expected) {
      throw new IllegalArgumentException(
          typeId
              + "."
              + method
              + " takes "
              + expected
              + " argument"
              + (expected == 1 ? "" : "s")
              + ", got "
              + args.length);
    }
  }

  static int intArg(SharedMethod method, Object[] args, int index) {
    return intArg(method.wireName(), args, index);
  }

  static int intArg(String method, Object[] args, int index) {
    Object arg = args[index];
    if (!(arg instanceof Integer i)) {
      throw new IllegalArgumentException(
          method + ": argument " + index + " must be an int, got " + describe(arg));
    }
    return i;
  }

  static String stringArg(SharedMethod method, Object[] args, int index) {
    return stringArg(method.wireName(), args, index);
  }

  static String stringArg(String method, Object[] args, int index) {
    Object arg = args[index];
    if (!(arg instanceof String string)) {
      throw new IllegalArgumentException(
          method + ": argument " + index + " must be a String, got " + describe(arg));
    }
    return string;
  }

  static java.util.List<?> listArg(SharedMethod method, Object[] args, int index) {
    return listArg(method.wireName(), args, index);
  }

  static java.util.List<?> listArg(String method, Object[] args, int index) {
    Object arg = args[index];
    if (!(arg instanceof java.util.List)) {
      throw new IllegalArgumentException(
          method + ": argument " + index + " must be a list, got " + describe(arg));
    }
    return (java.util.List<?>) arg;
  }

  static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName();
  }
}
