package org.multiprocessing4j.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.wire.methods.NamespaceMethod;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code namespace} type: named attributes. */
final class NamespaceReferent extends BuiltInReferent<NamespaceMethod> {
  private static final ExposedMethods<NamespaceMethod> METHODS =
      ExposedMethods.all(NamespaceMethod.class);

  private final Map<String, Object> attributes = new LinkedHashMap<>();

  NamespaceReferent() {
    super(TypeIds.NAMESPACE, METHODS);
  }

  static NamespaceReferent create(Object[] args) {
    NamespaceReferent namespace = new NamespaceReferent();
    if (args.length == 1 && args[0] instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) args[0]).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("namespace attribute names must be strings");
        }
        namespace.attributes.put((String) e.getKey(), e.getValue());
      }
    } else if (args.length != 0) {
      throw new IllegalArgumentException("namespace takes no arguments or a map of attributes");
    }
    return namespace;
  }

  private String existing(NamespaceMethod method, Object[] args) {
    String name = Args.stringArg(method, args, 0);
    if (!attributes.containsKey(name)) {
      throw new NoSuchElementException("'Namespace' object has no attribute '" + name + "'");
    }
    return name;
  }

  @Override
  Object run(NamespaceMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case GET -> attributes.get(existing(method, args));
      case SET -> {
        attributes.put(Args.stringArg(method, args, 0), args[1]);
        yield null;
      }
      case HAS -> attributes.containsKey(Args.stringArg(method, args, 0));
      case DELETE -> {
        attributes.remove(existing(method, args));
        yield null;
      }
      case COPY -> attributes;
    };
  }

  @Override
  public void forEachReference(LongConsumer visitor) {
    NestedRefs.visit(attributes, visitor);
  }

  /** Python's repr: {@code Namespace(a=1, name='Bob')}, names sorted. */
  @Override
  public String describe() {
    StringJoiner joiner = new StringJoiner(", ", "Namespace(", ")");
    new TreeMap<>(attributes)
        .forEach(
            (name, value) ->
                joiner.add(name + "=" + (value instanceof String ? "'" + value + "'" : value)));
    return joiner.toString();
  }
}
