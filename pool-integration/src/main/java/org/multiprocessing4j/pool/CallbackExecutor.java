package org.multiprocessing4j.pool;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the callbacks given at submission run ({@code applyAsync(task, callback, errorCallback)}
 * and the like): one daemon thread, started when needed and ended after five idle seconds, so that
 * callbacks run one at a time in the order their outcomes arrived, never under the pool's lock and
 * never on a worker's reader thread.
 *
 * <p>Thread-safe: the executor is; {@link #thread} is volatile (set by the executor's thread
 * factory, read by any thread).
 */
final class CallbackExecutor implements Executor {
  private final ThreadPoolExecutor executor;
  private volatile Thread thread; // the current callback thread, or the last one

  CallbackExecutor() {
    executor =
        new ThreadPoolExecutor(
            1,
            1,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "mp4j-pool-callbacks");
              t.setDaemon(true);
              thread = t;
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  @Override
  public void execute(Runnable callback) {
    executor.execute(callback);
  }

  /** Whether the caller is a callback (which must not wait for its own pool). */
  boolean isCallbackThread() {
    return Thread.currentThread() == thread;
  }

  /** Waits until every callback queued before this call has run. */
  void drain() throws InterruptedException {
    try {
      executor.submit(() -> {}).get();
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }
}
