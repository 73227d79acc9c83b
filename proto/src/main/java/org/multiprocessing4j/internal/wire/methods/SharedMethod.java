package org.multiprocessing4j.internal.wire.methods;

import com.google.errorprone.annotations.Immutable;

/**
 * A method of a built-in shared type: the name a client sends on the wire and how many arguments it
 * takes. One enum per type implements it, so a name is spelt in one place: the proxies call through
 * the constants and the manager binds each constant once.
 *
 * <p>Implementations are immutable enum constants, safe to share between threads.
 */
public interface SharedMethod {

  /** The wire name and arity. */
  Signature signature();

  /** The name of the method in an {@code Invoke} request, e.g. {@code "size"}. */
  default String wireName() {
    return signature().wireName();
  }

  /** True if a call with {@code argCount} arguments has the right arity. */
  default boolean takes(int argCount) {
    return argCount >= signature().minArgs() && argCount <= signature().maxArgs();
  }

  /**
   * A method's wire name and the number of arguments it takes, from {@code minArgs} to {@code
   * maxArgs}.
   */
  @Immutable
  record Signature(String wireName, int minArgs, int maxArgs) {
    public Signature {
      if (wireName.isEmpty() || minArgs < 0 || maxArgs < minArgs) {
        throw new IllegalArgumentException(
            "bad signature: '" + wireName + "' " + minArgs + ".." + maxArgs);
      }
    }

    /** A method that takes exactly {@code args} arguments. */
    public static Signature of(String wireName, int args) {
      return new Signature(wireName, args, args);
    }

    /** "1 argument", "2 arguments", "0 to 1 arguments". */
    public String arity() {
      if (minArgs == maxArgs) {
        return minArgs + (minArgs == 1 ? " argument" : " arguments");
      }
      return minArgs + " to " + maxArgs + " arguments";
    }
  }
}
