package org.multiprocessing4j.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.wire.methods.DictMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code dict} type: a LinkedHashMap (insertion order, as Python's dict). No null keys or
 * values.
 */
final class DictReferent extends BuiltInReferent<DictMethod> {
  private static final ExposedMethods<DictMethod> METHODS = ExposedMethods.all(DictMethod.class);

  private final LinkedHashMap<Object, Object> map;

  DictReferent(Map<?, ?> initial) {
    super(TypeIds.DICT, METHODS);
    this.map = new LinkedHashMap<>(initial);
  }

  static DictReferent create(Object[] args) {
    if (args.length == 0) {
      return new DictReferent(Map.of());
    }
    Args.count(TypeIds.DICT, "create", args, 1);
    if (!(args[0] instanceof Map)) {
      throw new IllegalArgumentException("dict: the initial contents must be a map");
    }
    Map<?, ?> initial = (Map<?, ?>) args[0];
    initial.forEach(DictReferent::checkEntry);
    return new DictReferent(initial);
  }

  private static void checkEntry(Object key, Object value) {
    Objects.requireNonNull(key, "a shared map cannot hold a null key");
    Objects.requireNonNull(value, "a shared map cannot hold a null value");
  }

  @Override
  Object run(DictMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case SIZE -> map.size();
      case GET -> map.get(args[0]);
      case CONTAINS_KEY -> map.containsKey(args[0]);
      case CONTAINS_VALUE -> map.containsValue(args[0]);
      case PUT -> {
        checkEntry(args[0], args[1]);
        yield map.put(args[0], args[1]);
      }
      case REMOVE -> map.remove(args[0]);
      case PUT_ALL -> {
        if (!(args[0] instanceof Map<?, ?> entries)) {
          throw new IllegalArgumentException("dict.putAll takes a map");
        }
        entries.forEach(DictReferent::checkEntry);
        map.putAll(entries);
        yield null;
      }
      case CLEAR -> {
        map.clear();
        yield null;
      }
      case PUT_IF_ABSENT -> {
        checkEntry(args[0], args[1]);
        yield map.putIfAbsent(args[0], args[1]);
      }
      case REMOVE_IF_EQUALS -> map.remove(args[0], args[1]);
      case REPLACE_IF_EQUALS -> {
        checkEntry(args[0], args[2]);
        yield map.replace(args[0], args[1], args[2]);
      }
      case REPLACE -> {
        checkEntry(args[0], args[1]);
        yield map.replace(args[0], args[1]);
      }
      case COPY -> map;
      case KEYS -> new ArrayList<>(map.keySet());
      case VALUES -> new ArrayList<>(map.values());
    };
  }

  @Override
  public void forEachReference(LongConsumer visitor) {
    NestedRefs.visit(map, visitor);
  }

  @Override
  public String describe() {
    return map.toString();
  }
}
