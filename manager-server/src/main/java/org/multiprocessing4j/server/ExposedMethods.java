package org.multiprocessing4j.server;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.multiprocessing4j.internal.wire.methods.SharedMethod;

/**
 * The methods one referent type exposes, by wire name, built once per type from the declarations in
 * {@code internal.wire.methods}. {@link #resolve} is the one place a call's method name and
 * argument count are checked, so a referent's switch over its enum sees only declared methods with
 * the right number of arguments. Immutable, so thread-safe.
 */
final class ExposedMethods<M extends Enum<M> & SharedMethod> {
  private final Map<String, M> byWireName;

  private ExposedMethods(Collection<M> methods) {
    // toMap refuses a wire name declared twice.
    this.byWireName =
        Map.copyOf(
            methods.stream()
                .collect(Collectors.toMap(SharedMethod::wireName, Function.identity())));
  }

  /** Exposes exactly {@code methods}. */
  static <M extends Enum<M> & SharedMethod> ExposedMethods<M> of(Collection<M> methods) {
    return new ExposedMethods<>(methods);
  }

  /** Exposes every constant of {@code declared}. */
  static <M extends Enum<M> & SharedMethod> ExposedMethods<M> all(Class<M> declared) {
    return new ExposedMethods<>(List.of(declared.getEnumConstants()));
  }

  /**
   * The declared method called {@code wireName}, once its arguments are counted.
   *
   * @throws MethodNotExposedException if {@code typeId} exposes no such method
   * @throws IllegalArgumentException if the call has the wrong number of arguments
   */
  M resolve(String typeId, String wireName, Object[] args) throws MethodNotExposedException {
    M method = byWireName.get(wireName);
    if (method == null) {
      throw new MethodNotExposedException(typeId, wireName);
    }
    if (!method.takes(args.length)) {
      throw new IllegalArgumentException(
          typeId
              + "."
              + wireName
              + " takes "
              + method.signature().arity()
              + ", got "
              + args.length);
    }
    return method;
  }

  /** The wire names, for tests and diagnostics. */
  Collection<String> wireNames() {
    return byWireName.keySet();
  }
}
