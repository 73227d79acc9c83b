package org.multiprocessing4j.server;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.multiprocessing4j.spi.TypeIds;

/** Type id -> how to create a referent. Thread-safe; filled before the server starts. */
final class TypeRegistry {
  /** Creates a referent from decoded create arguments. Runs under the state lock. */
  interface Factory {
    Referent create(Object[] args, ManagerState state) throws Exception;
  }

  private final Map<String, Factory> factories = new ConcurrentHashMap<>();

  static TypeRegistry withBuiltins() {
    TypeRegistry registry = new TypeRegistry();
    registry.put(TypeIds.LIST, (args, state) -> ListReferent.create(args));
    registry.put(TypeIds.DICT, (args, state) -> DictReferent.create(args));
    registry.put(
        TypeIds.VALUE,
        (args, state) -> {
          Args.count(TypeIds.VALUE, "create", args, 1);
          return new ValueReferent(args[0], state);
        });
    registry.put(TypeIds.ARRAY, ArrayReferent::create);
    registry.put(TypeIds.NAMESPACE, (args, state) -> NamespaceReferent.create(args));
    registry.put(
        TypeIds.LOCK,
        (args, state) -> {
          Args.count(TypeIds.LOCK, "create", args, 0);
          return new LockReferent();
        });
    registerSynchronization(registry);
    return registry;
  }

  /** Queues, the other synchronisation primitives and pipes (issue 4). */
  private static void registerSynchronization(TypeRegistry registry) {
    registry.put(TypeIds.QUEUE, (args, state) -> QueueReferent.create(TypeIds.QUEUE, args));
    registry.put(
        TypeIds.JOINABLE_QUEUE,
        (args, state) -> QueueReferent.create(TypeIds.JOINABLE_QUEUE, args));
    registry.put(
        TypeIds.RLOCK,
        (args, state) -> {
          Args.count(TypeIds.RLOCK, "create", args, 0);
          return new RLockReferent();
        });
    registry.put(
        TypeIds.SEMAPHORE, (args, state) -> SemaphoreReferent.create(TypeIds.SEMAPHORE, args));
    registry.put(
        TypeIds.BOUNDED_SEMAPHORE,
        (args, state) -> SemaphoreReferent.create(TypeIds.BOUNDED_SEMAPHORE, args));
    registry.put(TypeIds.CONDITION, ConditionReferent::create);
    registry.put(
        TypeIds.EVENT,
        (args, state) -> {
          Args.count(TypeIds.EVENT, "create", args, 0);
          return new EventReferent();
        });
    registry.put(TypeIds.BARRIER, (args, state) -> BarrierReferent.create(args));
    registry.put(TypeIds.PIPE, PipeEndReferent::create);
  }

  void put(String typeId, Factory factory) {
    factories.put(typeId, factory);
  }

  <T> void registerUserType(
      String typeId, Function<List<Object>, ? extends T> factory, Class<T> exposedInterface) {
    if (factories.containsKey(typeId)) {
      throw new IllegalArgumentException("type id '" + typeId + "' is already registered");
    }
    put(
        typeId,
        (args, state) -> {
          T instance = factory.apply(Collections.unmodifiableList(Arrays.asList(args)));
          if (!exposedInterface.isInstance(instance)) {
            throw new IllegalStateException(
                "the factory of '"
                    + typeId
                    + "' returned an object that does not implement "
                    + exposedInterface.getName());
          }
          return new ReflectiveReferent(typeId, instance, exposedInterface);
        });
  }

  Factory get(String typeId) {
    return factories.get(typeId);
  }
}
