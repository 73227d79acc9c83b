package org.multiprocessing4j;

import java.util.concurrent.CompletableFuture;

/**
 * The pipelined view of a {@link SharedValue}: each method sends its call and returns at once.
 * Calls issued from one thread run on the manager in the order they were issued, each atomic, as
 * the blocking method of the same name. Futures complete on a per-connection callback thread, so
 * dependent stages may call blocking proxy methods. Obtain it with {@link SharedValue#async()}.
 *
 * <p>Thread-safe.
 */
public interface AsyncSharedValue<T> {
  CompletableFuture<T> get();

  CompletableFuture<Void> set(T value);

  /** {@link SharedValue#addAndGet}: adds {@code delta} and returns the new value, atomically. */
  CompletableFuture<T> addAndGet(T delta);

  /** {@link SharedValue#compareAndSet}. */
  CompletableFuture<Boolean> compareAndSet(T expected, T update);
}
