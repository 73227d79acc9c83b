package org.multiprocessing4j.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pending result of work submitted to a {@link ProcessPool} (Python's {@code AsyncResult}).
 *
 * <p>{@link #get()} throws an {@link ExecutionException} whose cause is the exception the task
 * threw in the worker, of the same type and with the worker's stack trace; or a {@link
 * WorkerDiedException} if the worker running it died; or a {@link TaskSerializationException} if
 * its result could not be sent back. {@link #get(long, TimeUnit)} throws {@link TimeoutException}
 * if the result is not ready in time (Python's {@code multiprocessing.TimeoutError}); the task
 * keeps running.
 *
 * <p>{@link #cancel(boolean)}: a task not yet sent to a worker never runs; a running task is
 * interrupted in its worker if {@code mayInterruptIfRunning}, and its result is discarded either
 * way. {@link ProcessPool#terminate()} cancels every unfinished result.
 *
 * <p>Callbacks given at submission run on the pool's callback thread before the result becomes
 * ready, as in Python: once {@code get()} returns, the callback has run.
 *
 * <p>Thread-safe. Memory consistency effects: actions of a callback happen-before the return of
 * {@code get()}. The result itself is a deserialized copy made in this JVM after the task finished
 * in its worker; nothing else is shared with the worker.
 *
 * @param <T> the result type
 */
public interface AsyncResult<T> extends Future<T> {

  /** Whether the result is available (Python's {@code ready()}); same as {@link #isDone()}. */
  boolean ready();

  /**
   * Whether the task completed without an exception (Python's {@code successful()}).
   *
   * @throws IllegalStateException if the result is not ready yet
   */
  boolean successful();

  /** Waits until the result is ready (Python's {@code wait()}). */
  void await() throws InterruptedException;

  /**
   * Waits at most {@code timeout} for the result (Python's {@code wait(timeout)}).
   *
   * @return whether the result is ready
   */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * A new {@link CompletableFuture} completed with this result, for composition. Completing or
   * cancelling it does not affect this result or the task.
   */
  CompletableFuture<T> toCompletableFuture();
}
