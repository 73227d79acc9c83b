package org.multiprocessing4j.internal.proxy;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.multiprocessing4j.Internal;
import org.multiprocessing4j.SharedPipe;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.ProxyResolver;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The one entry point of the proxy implementations, for manager clients: builds proxies for
 * references that come back from a manager, by type id. Applications do not need it; they get
 * proxies from the {@code SharedObject}-returning methods of {@code Manager}.
 *
 * <p>Thread-safe.
 */
@Internal
public final class Proxies {
  private static final Map<String, BiFunction<Invoker, Long, Object>> FACTORIES =
      new ConcurrentHashMap<>();
  private static volatile ProxyResolver resolver;
  // The types whose proxies this module implements; a user interface never replaces them.
  private static final Set<String> BUILT_IN;

  static {
    register(TypeIds.LIST, (invoker, id) -> new ListProxy<>(invoker, id));
    register(TypeIds.DICT, (invoker, id) -> new MapProxy<>(invoker, id));
    register(TypeIds.VALUE, (invoker, id) -> new ValueProxy<>(invoker, id));
    register(TypeIds.ARRAY, (invoker, id) -> new ArrayProxy<>(invoker, id));
    register(TypeIds.NAMESPACE, (invoker, id) -> new NamespaceProxy(invoker, id));
    register(TypeIds.LOCK, (invoker, id) -> new LockProxy(invoker, id, TypeIds.LOCK));
    register(TypeIds.RLOCK, (invoker, id) -> new LockProxy(invoker, id, TypeIds.RLOCK));
    register(TypeIds.QUEUE, (invoker, id) -> new QueueProxy<>(invoker, id));
    register(TypeIds.JOINABLE_QUEUE, (invoker, id) -> new JoinableQueueProxy<>(invoker, id));
    register(
        TypeIds.SEMAPHORE, (invoker, id) -> new SemaphoreProxy(invoker, id, TypeIds.SEMAPHORE));
    register(
        TypeIds.BOUNDED_SEMAPHORE,
        (invoker, id) -> new SemaphoreProxy(invoker, id, TypeIds.BOUNDED_SEMAPHORE));
    register(TypeIds.CONDITION, (invoker, id) -> new ConditionProxy(invoker, id));
    register(TypeIds.EVENT, (invoker, id) -> new EventProxy(invoker, id));
    register(TypeIds.BARRIER, (invoker, id) -> new BarrierProxy(invoker, id));
    register(TypeIds.PIPE, (invoker, id) -> new ConnectionProxy(invoker, id));
    BUILT_IN = Set.copyOf(FACTORIES.keySet());
  }

  private Proxies() {}

  /**
   * Registers how to build a proxy of {@code typeId}; a later registration replaces an earlier one.
   */
  public static void register(String typeId, BiFunction<Invoker, Long, Object> factory) {
    FACTORIES.put(requireNonNull(typeId, "typeId"), requireNonNull(factory, "factory"));
  }

  /** True for the type ids whose proxies are built in ({@code "list"}, {@code "lock"}, ...). */
  public static boolean isBuiltIn(String typeId) {
    return BUILT_IN.contains(typeId);
  }

  /**
   * Registers a dynamic proxy implementing {@code exposed} for a user-registered type.
   *
   * @throws IllegalArgumentException if {@code typeId} is built in: every proxy of it in this
   *     process would change
   */
  public static <T> void registerInterface(String typeId, Class<T> exposed) {
    requireNonNull(exposed, "exposed");
    if (isBuiltIn(typeId)) {
      throw new IllegalArgumentException(
          "'"
              + typeId
              + "' is a built-in type with its own proxy; it cannot be given the"
              + " interface "
              + exposed.getName());
    }
    if (!exposed.isInterface()) {
      throw new IllegalArgumentException(exposed.getName() + " is not an interface");
    }
    register(typeId, (invoker, id) -> UserTypeProxy.create(invoker, id, typeId, exposed));
  }

  /**
   * Returns a proxy for a reference the manager handed to this client. Each call must match one
   * reference taken on the manager: the proxy releases it when it becomes unreachable.
   */
  public static Object forReference(Invoker invoker, long objectId, String typeId) {
    BiFunction<Invoker, Long, Object> factory = FACTORIES.get(typeId);
    return factory == null
        ? new ByNameProxy(invoker, objectId, typeId)
        : factory.apply(invoker, objectId);
  }

  /**
   * Completes a pipe from its first end (a proxy of type {@code "pipe"} as {@code Invoker.create}
   * returned it): one round trip, for the second end.
   */
  public static SharedPipe pipeFromFirstEnd(Object firstEnd) {
    return PipeEnds.fromFirstEnd(firstEnd);
  }

  /**
   * The manager instance ({@code Invoker.managerInstanceId()}) a proxy made here belongs to, for
   * references sent as arguments; 0 if {@code proxy} is not one (then it cannot be checked).
   */
  public static long managerInstanceId(Object proxy) {
    return ProxyHandle.managerInstanceId(proxy);
  }

  /** Installs the process-wide resolver for references that arrive by Java serialization. */
  public static void installResolver(ProxyResolver newResolver) {
    resolver = requireNonNull(newResolver, "resolver");
  }

  static Object resolve(String target, long managerInstanceId, long objectId, String typeId) {
    ProxyResolver current = resolver;
    if (current == null) {
      // A worker may deserialize a reference before it touched any manager class.
      current = java.util.ServiceLoader.load(ProxyResolver.class).findFirst().orElse(null);
      if (current != null) {
        resolver = current;
      }
    }
    if (current == null) {
      throw new IllegalStateException(
          "a shared-object reference was deserialized, but no manager client is loaded");
    }
    return current.resolve(target, managerInstanceId, objectId, typeId);
  }
}
