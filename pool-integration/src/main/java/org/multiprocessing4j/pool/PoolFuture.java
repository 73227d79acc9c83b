package org.multiprocessing4j.pool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** The {@link AsyncResult} of one submission; thread-safe (a {@link CompletableFuture} inside). */
final class PoolFuture<T> implements AsyncResult<T> {
  private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());

  /** Withdraws the submission's jobs when the result is cancelled. */
  interface Canceller {
    void cancel(boolean mayInterruptIfRunning);
  }

  private final CompletableFuture<T> future = new CompletableFuture<>();
  private volatile Canceller canceller;
  // Set before the work is submitted, never changed after.
  private Executor callbackExecutor;
  private Consumer<? super T> callback;
  private Consumer<? super Throwable> errorCallback;

  void onCancel(Canceller c) {
    this.canceller = c;
  }

  /**
   * Runs {@code callback} or {@code errorCallback} on {@code executor} when the outcome arrives,
   * and only then makes the outcome visible, as Python does: once {@code get()} returns, the
   * callback has run. Must be called before the work is submitted.
   */
  void callbacks(
      Executor executor, Consumer<? super T> callback, Consumer<? super Throwable> errorCallback) {
    if (callback != null || errorCallback != null) {
      this.callbackExecutor = executor;
      this.callback = callback;
      this.errorCallback = errorCallback;
    }
  }

  void complete(T value) {
    settle(callback, value, () -> future.complete(value));
  }

  /** Fails with {@code failure}; a {@link java.util.concurrent.CancellationException} cancels. */
  void fail(Throwable failure) {
    settle(errorCallback, failure, () -> future.completeExceptionally(failure));
  }

  /**
   * Completes the future with {@code completion}; first, on the callback executor, gives {@code
   * outcome} to {@code listener} (if any) unless the future is done by then (cancelled).
   */
  private <O> void settle(Consumer<? super O> listener, O outcome, Runnable completion) {
    if (callbackExecutor == null || future.isDone()) {
      completion.run();
      return;
    }
    callbackExecutor.execute(
        () -> {
          if (!future.isDone() && listener != null) {
            runCallback(() -> listener.accept(outcome));
          }
          completion.run();
        });
  }

  private static void runCallback(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, "a ProcessPool callback threw; ignored", e);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = future.cancel(mayInterruptIfRunning);
    if (cancelled) {
      Canceller c = canceller;
      if (c != null) {
        c.cancel(mayInterruptIfRunning);
      }
      if (errorCallback != null) {
        Throwable reason = new java.util.concurrent.CancellationException("cancelled");
        callbackExecutor.execute(() -> runCallback(() -> errorCallback.accept(reason)));
      }
    }
    return cancelled;
  }

  @Override
  public boolean isCancelled() {
    return future.isCancelled();
  }

  @Override
  public boolean isDone() {
    return future.isDone();
  }

  @Override
  public boolean ready() {
    return future.isDone();
  }

  @Override
  public boolean successful() {
    if (!future.isDone()) {
      throw new IllegalStateException("the result is not ready");
    }
    return !future.isCompletedExceptionally();
  }

  @Override
  public void await() throws InterruptedException {
    try {
      future.get();
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      // done: the outcome is for get()
    }
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      future.get(timeout, unit);
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      // done
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  /**
   * The outcome for a synchronous call ({@code apply}, {@code map}): the task's unchecked exception
   * as is, a checked one in a {@link java.util.concurrent.CompletionException}; interrupted, the
   * submission is cancelled and the interrupt kept.
   */
  T resultForCaller() {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw Submissions.propagate(e.getCause());
    } catch (InterruptedException e) {
      cancel(true);
      Thread.currentThread().interrupt();
      throw new ProcessPoolException("interrupted while waiting for the pool", e);
    }
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    return future.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(timeout, unit);
  }

  @Override
  public CompletableFuture<T> toCompletableFuture() {
    return future.copy();
  }

  @Override
  public String toString() {
    return "AsyncResult["
        + (future.isDone() ? (successful() ? "succeeded" : "failed") : "pending")
        + "]";
  }
}
