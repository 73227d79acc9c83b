package org.multiprocessing4j;

import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;

/**
 * A FIFO {@link BlockingQueue} held by a manager (Python's {@code Manager().Queue(maxsize)}),
 * bounded or unbounded, shared by every process that holds a proxy of it. Elements are copies.
 *
 * <p>The whole {@code BlockingQueue} contract holds: {@code put}/{@code take} block, {@code
 * offer}/{@code poll} with a timeout wait at most that long, {@code add}/{@code remove} throw
 * {@link IllegalStateException}/{@link NoSuchElementException}, and {@code null} elements are
 * rejected with {@link NullPointerException}. To tell consumers that no more items come (Python
 * code puts {@code None}), put an explicit end marker, for example one agreed sentinel string per
 * consumer, or close the work with a {@link SharedJoinableQueue} or a {@link SharedEvent}.
 *
 * <p>Costs: each method is one round trip, atomic on the manager; {@code size}, {@code empty} and
 * {@code full} are exact at that moment. A blocked {@code put} or {@code take} waits on the manager
 * without costing it a thread. Bulk operations ({@code addAll}, {@code drainTo}, {@code removeAll},
 * {@code retainAll}, {@code containsAll}, {@code toArray}) are one round trip each; {@code addAll}
 * on a bounded queue inserts what fits and then throws {@code IllegalStateException}. Iteration
 * walks a snapshot taken in one round trip; the iterator's {@code remove} removes the first element
 * equal to the current one from the live queue.
 *
 * <p>Timeouts and interrupts: a timed wait ends on the manager, and an interrupted one is withdrawn
 * there, so no element is ever handed to a taker that gave up and a putter that gave up never
 * inserts its element. If the element was handed over in the same instant as the interrupt, the
 * call returns normally with the thread's interrupt status set, so nothing is lost.
 *
 * <p>{@code equals}/{@code hashCode} compare the referent (same manager instance, same object), as
 * for every non-collection proxy (a JDK queue's are identity too). {@code toString} renders the
 * elements head first, {@code [1, 2]}, as {@code AbstractCollection} does (one round trip).
 *
 * <p>Thread-safe. Memory consistency effects: as for any {@code BlockingQueue}, within one process
 * actions in a thread before putting an element happen-before actions after a take of that element
 * returns; across processes only the element's copy travels.
 */
public interface SharedQueue<E> extends BlockingQueue<E>, SharedObject {

  /** Python's {@code qsize()}: same as {@link #size()}. */
  int qsize();

  /** Python's {@code empty()}: same as {@link #isEmpty()}. */
  boolean empty();

  /** Python's {@code full()}: true if a bounded queue holds {@code maxsize} elements. */
  boolean full();

  /**
   * Python's {@code get_nowait()}: removes the head without waiting.
   *
   * @throws NoSuchElementException if the queue is empty (Python's {@code queue.Empty})
   */
  E getNowait();

  /**
   * Python's {@code put_nowait(x)}: inserts without waiting.
   *
   * @throws IllegalStateException if the queue is full (Python's {@code queue.Full})
   */
  void putNowait(E element);
}
