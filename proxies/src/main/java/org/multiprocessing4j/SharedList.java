package org.multiprocessing4j;

import java.util.List;

/**
 * A {@link List} held by a manager. Every method is one round trip and atomic on the manager;
 * elements are copies (mutating an element you read does not change the shared list, unless the
 * element is itself a proxy). Bulk operations ({@code addAll}, {@code removeAll}, {@code
 * retainAll}, {@code containsAll}, {@code toArray}, {@link #copy()}) are one round trip each.
 *
 * <p>Iteration is live and index-based, like Python's: the iterator fetches the list in chunks of
 * {@value #ITERATION_CHUNK} elements, so iterating n elements costs {@code n / }{@value
 * #ITERATION_CHUNK}{@code + 1} round trips (integer division), and sees changes made by others to
 * positions it has not fetched yet. Use {@link #copy()} for a snapshot. {@code sort} with a
 * comparator and {@code replaceAll} compute locally and write back: two round trips, not atomic.
 * {@code subList} is a view whose operations each cost a round trip.
 *
 * <p>{@code equals} and {@code hashCode} follow the {@link List} contract (content, one round
 * trip). Null elements are allowed.
 *
 * <p>The methods that take any object ({@code contains}, {@code indexOf}, {@code lastIndexOf},
 * {@code remove(Object)}, {@code containsAll}, {@code removeAll}, {@code retainAll}) throw {@link
 * ClassCastException}, the collections' "incompatible type", for an object this connection cannot
 * send; nothing is sent. Adding such an object fails with {@link ManagerException} ({@code
 * UNSUPPORTED_VALUE}).
 *
 * <p>Thread-safe.
 */
public interface SharedList<E> extends List<E>, SharedObject {
  /** Elements fetched per round trip while iterating. */
  int ITERATION_CHUNK = 512;

  /** A snapshot of the whole list in one round trip. */
  List<E> copy();

  /**
   * The pipelined view of this list: the same operations, sent without waiting for each reply.
   * Costs nothing to obtain; keeps this proxy reachable.
   */
  AsyncSharedList<E> async();
}
