package org.multiprocessing4j.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.multiprocessing4j.spi.TypeIds;

/** The {@code dict} type: a LinkedHashMap (insertion order, as Python's dict). No null keys or values. */
final class DictReferent implements Referent {
  private final LinkedHashMap<Object, Object> map;

  DictReferent(Map<?, ?> initial) {
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
  public String typeId() {
    return TypeIds.DICT;
  }

  @Override
  public Object invoke(String method, Object[] args, Call call) throws Exception {
    switch (method) {
      case "size":
        return map.size();
      case "get":
        Args.count(typeId(), method, args, 1);
        return map.get(args[0]);
      case "containsKey":
        Args.count(typeId(), method, args, 1);
        return map.containsKey(args[0]);
      case "containsValue":
        Args.count(typeId(), method, args, 1);
        return map.containsValue(args[0]);
      case "put":
        Args.count(typeId(), method, args, 2);
        checkEntry(args[0], args[1]);
        return map.put(args[0], args[1]);
      case "remove":
        Args.count(typeId(), method, args, 1);
        return map.remove(args[0]);
      case "putAll":
        {
          Args.count(typeId(), method, args, 1);
          if (!(args[0] instanceof Map)) {
            throw new IllegalArgumentException("dict.putAll takes a map");
          }
          Map<?, ?> entries = (Map<?, ?>) args[0];
          entries.forEach(DictReferent::checkEntry);
          map.putAll(entries);
          return null;
        }
      case "clear":
        map.clear();
        return null;
      case "putIfAbsent":
        Args.count(typeId(), method, args, 2);
        checkEntry(args[0], args[1]);
        return map.putIfAbsent(args[0], args[1]);
      case "removeIfEquals":
        Args.count(typeId(), method, args, 2);
        return map.remove(args[0], args[1]);
      case "replaceIfEquals":
        Args.count(typeId(), method, args, 3);
        checkEntry(args[0], args[2]);
        return map.replace(args[0], args[1], args[2]);
      case "replace":
        Args.count(typeId(), method, args, 2);
        checkEntry(args[0], args[1]);
        return map.replace(args[0], args[1]);
      case "copy":
        return map;
      case "keys":
        return new java.util.ArrayList<>(map.keySet());
      case "values":
        return new java.util.ArrayList<>(map.values());
      default:
        throw new MethodNotExposedException(typeId(), method);
    }
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
