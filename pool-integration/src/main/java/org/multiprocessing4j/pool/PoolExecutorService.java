package org.multiprocessing4j.pool;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link ExecutorService} view of a pool. Every task runs in a worker JVM, so it must be
 * serializable; {@code shutdown} closes the pool without waiting, {@code shutdownNow} terminates
 * it. Thread-safe: it holds no state of its own.
 */
final class PoolExecutorService implements ExecutorService {
  private final PoolImpl pool;

  PoolExecutorService(PoolImpl pool) {
    this.pool = pool;
  }

  private static void checkSerializable(Object task) {
    requireNonNull(task, "task");
    if (!(task instanceof Serializable)) {
      throw new RejectedExecutionException(
          "a ProcessPool runs tasks in other JVMs, so a task must be Serializable, and "
              + task.getClass().getName()
              + " is not; declare a lambda as"
              + " (Callable<T> & Serializable) () -> ... or (Runnable & Serializable) () -> ...");
    }
  }

  private <T> PoolFuture<T> submitWork(Work work, Object task) {
    try {
      return pool.submitWork(work, task);
    } catch (TaskSerializationException e) {
      throw new RejectedExecutionException(e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new RejectedExecutionException("the pool is shut down: " + e.getMessage(), e);
    }
  }

  // execute returns nothing, as ExecutorService.execute
  @SuppressWarnings("FutureReturnValueIgnored")
  @Override
  public void execute(Runnable command) {
    checkSerializable(command);
    submitWork(Work.run(command), command);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    checkSerializable(task);
    return submitWork(Work.call(task), task);
  }

  @Override
  public Future<?> submit(Runnable task) {
    checkSerializable(task);
    return submitWork(Work.run(task), task);
  }

  // the stage only forwards the outcome to withResult
  @SuppressWarnings("FutureReturnValueIgnored")
  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    checkSerializable(task);
    PoolFuture<Object> ran = submitWork(Work.run(task), task);
    PoolFuture<T> withResult = new PoolFuture<>();
    withResult.onCancel(ran::cancel);
    ran.toCompletableFuture()
        .whenComplete(
            (ignored, failure) -> {
              if (failure == null) {
                withResult.complete(result);
              } else {
                withResult.fail(unwrap(failure));
              }
            });
    return withResult;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
      throws InterruptedException {
    List<Future<T>> futures = submitAll(tasks);
    try {
      for (Future<T> f : futures) {
        awaitQuietly(f, -1);
      }
    } catch (InterruptedException | RuntimeException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
    return futures;
  }

  @Override
  public <T> List<Future<T>> invokeAll(
      Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    List<Future<T>> futures = submitAll(tasks);
    try {
      for (Future<T> f : futures) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !awaitQuietly(f, left)) {
          break;
        }
      }
    } finally {
      for (Future<T> f : futures) {
        if (!f.isDone()) {
          f.cancel(true);
        }
      }
    }
    return futures;
  }

  private <T> List<Future<T>> submitAll(Collection<? extends Callable<T>> tasks) {
    requireNonNull(tasks, "tasks");
    tasks.forEach(PoolExecutorService::checkSerializable);
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    try {
      for (Callable<T> task : tasks) {
        futures.add(submit(task));
      }
    } catch (RuntimeException e) {
      futures.forEach(f -> f.cancel(true));
      throw e;
    }
    return futures;
  }

  /** Waits for {@code f} ({@code nanos < 0}: forever); whether it is done. */
  private static boolean awaitQuietly(Future<?> f, long nanos) throws InterruptedException {
    try {
      if (nanos < 0) {
        f.get();
      } else {
        f.get(nanos, TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException | CancellationException e) {
      // done; the caller reads the outcome from the future
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    try {
      return invokeAny(tasks, -1);
    } catch (TimeoutException e) {
      throw new AssertionError("no timeout was set", e);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return invokeAny(tasks, Math.max(0, unit.toNanos(timeout)));
  }

  // the stage only records which future is done
  @SuppressWarnings("FutureReturnValueIgnored")
  private <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeoutNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    requireNonNull(tasks, "tasks");
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("invokeAny needs at least one task");
    }
    BlockingQueue<Future<T>> done = new LinkedBlockingQueue<>();
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    long deadline = System.nanoTime() + timeoutNanos;
    try {
      for (Callable<T> task : tasks) {
        checkSerializable(task);
        PoolFuture<T> f = submitWork(Work.call(task), task);
        futures.add(f);
        f.toCompletableFuture().whenComplete((v, t) -> done.add(f));
      }
      ExecutionException last = null;
      for (int left = futures.size(); left > 0; left--) {
        Future<T> f;
        if (timeoutNanos < 0) {
          f = done.take();
        } else {
          f = done.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
          if (f == null) {
            throw new TimeoutException("no task completed within the timeout");
          }
        }
        try {
          return f.get();
        } catch (ExecutionException e) {
          last = e;
        } catch (CancellationException e) {
          last = new ExecutionException(e);
        }
      }
      throw last;
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
  }

  @Override
  public void shutdown() {
    pool.shutdown();
  }

  /** Terminates the pool; returns the tasks that never started, as {@code Runnable}s. */
  @Override
  public List<Runnable> shutdownNow() {
    List<Runnable> tasks = new ArrayList<>();
    for (Job job : pool.terminateAndListUnstarted()) {
      tasks.add(asRunnable(job.keepAlive));
    }
    return tasks;
  }

  /** What was submitted: the caller's own task, or a pool call's {@link Work}. */
  private static Runnable asRunnable(Object task) {
    if (task instanceof Runnable runnable) {
      return runnable;
    }
    if (task instanceof Callable<?> callable) {
      return new FutureTask<>(callable);
    }
    Work work = (Work) task;
    return new FutureTask<>(work::run);
  }

  @Override
  public boolean isShutdown() {
    return pool.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return pool.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return pool.awaitTermination(unit.toNanos(timeout));
  }

  @Override
  public String toString() {
    return "ExecutorService view of " + pool;
  }
}
