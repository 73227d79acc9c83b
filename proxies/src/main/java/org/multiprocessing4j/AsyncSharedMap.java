package org.multiprocessing4j;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The pipelined view of a {@link SharedMap}: each method sends its call and returns at once. Calls
 * issued from one thread run on the manager in the order they were issued, each atomic, as the
 * blocking method of the same name; a missing value is a future of {@code null}. Futures complete
 * on a per-connection callback thread, so dependent stages may call blocking proxy methods. Obtain
 * it with {@link SharedMap#async()}.
 *
 * <p>Thread-safe.
 */
public interface AsyncSharedMap<K, V> {
  /** {@link Map#put(Object, Object)}: returns the previous value, or {@code null}. */
  CompletableFuture<V> put(K key, V value);

  /** {@link Map#get(Object)}. */
  CompletableFuture<V> get(K key);

  /** {@link Map#remove(Object)}. */
  CompletableFuture<V> remove(K key);

  /** {@link java.util.concurrent.ConcurrentMap#putIfAbsent(Object, Object)}. */
  CompletableFuture<V> putIfAbsent(K key, V value);

  /** {@link Map#containsKey(Object)}. */
  CompletableFuture<Boolean> containsKey(K key);

  /** {@link Map#size()}. */
  CompletableFuture<Integer> size();

  /** {@link Map#putAll(Map)}: one call for the whole map. */
  CompletableFuture<Void> putAll(Map<? extends K, ? extends V> entries);
}
