package org.multiprocessing4j;

import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link ConcurrentMap} held by a manager, keeping insertion order (as Python's dict). Every
 * method is one round trip and atomic on the manager; keys and values are copies. {@code
 * putIfAbsent}, {@code replace} and {@code remove(key, value)} are atomic on the manager, so the
 * default {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent} and {@code merge} are
 * correct under contention (they retry; each attempt costs round trips).
 *
 * <p>Null keys and values are not allowed ({@link NullPointerException}), as in {@code
 * ConcurrentHashMap}: {@code null} means "absent" to the atomic operations. The views ({@code
 * keySet}, {@code values}, {@code entrySet}) are live: their size and membership ask the manager,
 * their iterators walk a snapshot taken in one round trip, and removals through them go to the
 * manager.
 *
 * <p>The methods that take any object ({@code get}, {@code getOrDefault}, {@code containsKey},
 * {@code containsValue}, {@code remove}) throw {@link ClassCastException}, the maps' "inappropriate
 * type", for an object this connection cannot send; nothing is sent. Putting such an object fails
 * with {@link ManagerException} ({@code UNSUPPORTED_VALUE}).
 *
 * <p>{@code equals} and {@code hashCode} follow the {@link Map} contract (one round trip).
 *
 * <p>Thread-safe.
 */
public interface SharedMap<K, V> extends ConcurrentMap<K, V>, SharedObject {

  /** A snapshot of the whole map in one round trip. */
  Map<K, V> copy();

  /**
   * The pipelined view of this map: the same operations, sent without waiting for each reply. Costs
   * nothing to obtain; keeps this proxy reachable.
   */
  AsyncSharedMap<K, V> async();
}
