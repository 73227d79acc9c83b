package org.multiprocessing4j.pool;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The results of {@link ProcessPool#imap} or {@link ProcessPool#imapUnordered} (Python's {@code
 * IMapIterator}), produced while they are consumed. Like a Python iterator it is its own {@link
 * Iterable}: {@link #iterator()} returns this object, so it can be used once in a for-each loop.
 *
 * <p>Bounded: at most the pool's {@linkplain ProcessPool.Builder#imapWindow imap window} of chunks
 * are submitted but not yet consumed; the input iterator is read only as results are consumed, so
 * an imap over millions of inputs runs in constant memory.
 *
 * <p>A task's failure is thrown by the {@code next} call that reaches its position (the task's own
 * exception if unchecked, else a {@link java.util.concurrent.CompletionException} wrapping it);
 * iteration may continue past it with the following results.
 *
 * <p>Not thread-safe: consume it from one thread at a time. The input iterator is read by the
 * threads that call {@code imap} and {@code next}, never by a pool thread.
 *
 * @param <R> the result type
 */
// as Python's imap result: iterated once, also in a for-each
@SuppressWarnings("IterableAndIterator")
public interface ResultIterator<R> extends Iterator<R>, Iterable<R>, AutoCloseable {

  /**
   * The next result, waiting for it as long as needed. If the calling thread is interrupted while
   * waiting, its interrupt flag is set again and a {@link ProcessPoolException} is thrown.
   *
   * @throws NoSuchElementException if there are no more results
   */
  @Override
  R next();

  /**
   * The next result, waiting at most {@code timeout} (Python's {@code next(timeout)}).
   *
   * @throws TimeoutException if it is not ready in time; a later call may still return it
   * @throws NoSuchElementException if there are no more results
   */
  R next(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException;

  /** Returns this iterator: it can be iterated once. */
  @Override
  Iterator<R> iterator();

  /**
   * Stops early: unsent chunks are cancelled, results not yet consumed are dropped, and no more
   * inputs are read. Idempotent.
   */
  @Override
  void close();
}
