package org.multiprocessing4j;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The pipelined view of a {@link SharedList}: each method sends its call and returns at once, so
 * one thread can keep many calls in flight on its connection instead of waiting a round trip for
 * each. Calls issued from one thread run on the manager in the order they were issued, and each is
 * atomic there, exactly as the blocking method of the same name.
 *
 * <p>Futures complete on a per-connection callback thread, in the order the manager answered; a
 * dependent stage may call blocking proxy methods. Failures complete the future exceptionally with
 * the exception the blocking method would have thrown. Obtain it with {@link SharedList#async()}.
 *
 * <p>Thread-safe.
 */
public interface AsyncSharedList<E> {
  /** {@link List#add(Object)}: appends {@code element}. */
  CompletableFuture<Boolean> add(E element);

  /** {@link List#add(int, Object)}. */
  CompletableFuture<Void> add(int index, E element);

  /** {@link List#addAll(Collection)}: one call for the whole collection. */
  CompletableFuture<Boolean> addAll(Collection<? extends E> elements);

  /** {@link List#get(int)}. */
  CompletableFuture<E> get(int index);

  /** {@link List#set(int, Object)}: returns the element replaced. */
  CompletableFuture<E> set(int index, E element);

  /** {@link List#remove(int)}: returns the element removed. */
  CompletableFuture<E> remove(int index);

  /** {@link List#size()}. */
  CompletableFuture<Integer> size();

  /** {@link SharedList#copy()}: a snapshot of the whole list. */
  CompletableFuture<List<E>> copy();
}
