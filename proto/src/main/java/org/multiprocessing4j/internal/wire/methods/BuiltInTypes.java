package org.multiprocessing4j.internal.wire.methods;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in shared types by type id, each with the methods it exposes besides the {@link
 * ObjectMethod}s every object has. Immutable.
 */
public final class BuiltInTypes {
  private static final Map<String, List<SharedMethod>> METHODS = methodsByType();

  private BuiltInTypes() {}

  private static Map<String, List<SharedMethod>> methodsByType() {
    Map<String, List<SharedMethod>> byType = new LinkedHashMap<>();
    byType.put("list", List.of(ListMethod.values()));
    byType.put("dict", List.of(DictMethod.values()));
    byType.put("value", List.of(ValueMethod.values()));
    byType.put("array", List.of(ArrayMethod.values()));
    byType.put("namespace", List.of(NamespaceMethod.values()));
    byType.put("lock", List.copyOf(LockMethod.ofLock()));
    byType.put("rlock", List.copyOf(LockMethod.ofRLock()));
    byType.put("semaphore", List.of(SemaphoreMethod.values()));
    byType.put("boundedSemaphore", List.of(SemaphoreMethod.values()));
    byType.put("condition", List.of(ConditionMethod.values()));
    byType.put("event", List.of(EventMethod.values()));
    byType.put("barrier", List.of(BarrierMethod.values()));
    byType.put("queue", List.copyOf(QueueMethod.ofQueue()));
    byType.put("joinableQueue", List.copyOf(QueueMethod.ofJoinableQueue()));
    byType.put("pipe", List.of(PipeMethod.values()));
    return Collections.unmodifiableMap(byType);
  }

  /** The type ids of the built-in types, in a fixed order. */
  public static Set<String> typeIds() {
    return METHODS.keySet();
  }

  /**
   * The methods {@code typeId} exposes besides the {@link ObjectMethod}s.
   *
   * @throws IllegalArgumentException if {@code typeId} is not a built-in type
   */
  public static List<SharedMethod> methodsOf(String typeId) {
    List<SharedMethod> methods = METHODS.get(typeId);
    if (methods == null) {
      throw new IllegalArgumentException("'" + typeId + "' is not a built-in type");
    }
    return methods;
  }

  /** Every method of every built-in type and the {@link ObjectMethod}s, each once. */
  public static List<SharedMethod> allMethods() {
    Set<SharedMethod> all = new LinkedHashSet<>(Arrays.asList(ObjectMethod.values()));
    METHODS.values().forEach(all::addAll);
    return List.copyOf(all);
  }

  /** The wire names of {@code methods}, in order, each once. */
  public static List<String> wireNames(Collection<? extends SharedMethod> methods) {
    List<String> names = new ArrayList<>();
    for (SharedMethod method : methods) {
      if (!names.contains(method.wireName())) {
        names.add(method.wireName());
      }
    }
    return names;
  }
}
