package org.multiprocessing4j.pool;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.multiprocessing4j.Manager;

/**
 * A pool of worker JVMs that run serializable tasks: Python's {@code multiprocessing.Pool} for the
 * JVM. Workers are real child processes started with this JVM's {@code java} and class path; they
 * start in parallel, are reused across tasks, and each runs one task at a time.
 *
 * <pre>{@code
 * try (Manager m = Manager.start();
 *     ProcessPool pool = ProcessPool.builder().processes(4).manager(m).start()) {
 *   SharedList<Integer> list = m.list();
 *   for (int i = 0; i < 10; i++) {
 *     int n = i;
 *     pool.applyAsync(() -> list.add(n));   // the proxy reconnects inside the worker
 *   }
 * }                                         // close(): queued tasks finish, workers exit
 * }</pre>
 *
 * <p>Tasks and their results travel by Java serialization: a task is a {@link
 * SerializableCallable}, {@link SerializableFunction} or {@link SerializableBiFunction} (a lambda
 * whose target is one of these is serializable) and everything it captures must be serializable.
 * Values are copies, made when the task is submitted; shared objects of a {@link Manager} travel as
 * references and stay shared, as in Python (give the pool the manager with {@link
 * Builder#manager}).
 *
 * <p>Errors: a task's exception reaches the caller as the same type with the worker's stack trace
 * (synchronous methods throw it as is if unchecked and wrapped in a {@link CompletionException} if
 * checked; futures wrap it in an {@code ExecutionException}). A worker that dies while running a
 * task ({@code System.exit}, {@code kill -9}, a crash) fails that task only with a {@link
 * WorkerDiedException} and is replaced; a task that runs out of memory fails with its {@link
 * OutOfMemoryError} and its worker is replaced too. No worker outlives this JVM, even if it is
 * killed: workers exit when their standard input, a pipe from this JVM, closes.
 *
 * <p>Lifecycle: {@link #close()} stops accepting tasks, lets queued tasks finish and waits for the
 * workers to exit (Python's {@code close()} followed by {@code join()}, and what try-with-resources
 * does); {@link #terminate()} kills the workers at once and cancels unfinished results; {@link
 * #join()} waits for the workers to exit after either. Submitting after either throws {@link
 * IllegalStateException} ("Pool not running"). Close every pool: an open pool's workers live until
 * this JVM exits.
 *
 * <p>Workers: each runs {@code java [jvmOptions] -cp <this JVM's class path>} with a main class of
 * this module (where the class path is all jars, workers also share a class data archive that the
 * first one records as it exits: see the README's defaults), connects back over a Unix domain
 * socket in a private temporary directory (loopback TCP where that is unavailable) and proves a
 * per-pool random token. Their standard output and error are copied, line by line, to this JVM's
 * {@code System.out} and {@code System.err}; their standard input is reserved (its end tells them
 * the parent is gone). Up to two tasks are sent to a worker at once, so it starts the next without
 * waiting for a round trip; a worker that dies was running the first, and the second goes back to
 * the queue.
 *
 * <p>Thread-safe: any thread may submit. Callbacks run on one pool thread, in completion order;
 * keep them short (a callback that blocks delays the others, not the workers). From a callback, do
 * not call {@link #join()} or {@link #close()}, nor wait for another result that has callbacks.
 */
public interface ProcessPool extends AutoCloseable {

  /** A pool of {@link Runtime#availableProcessors()} workers with default options. */
  static ProcessPool start() {
    return builder().start();
  }

  /** A pool of {@code processes} workers with default options (Python's {@code Pool(n)}). */
  static ProcessPool start(int processes) {
    return builder().processes(processes).start();
  }

  /** Options for a new pool. */
  static Builder builder() {
    return new Builder();
  }

  /** The number of workers the pool keeps running. */
  int processes();

  // --- single tasks

  /** Runs {@code task} in a worker and returns its result (Python's {@code apply}). */
  <R> R apply(SerializableCallable<? extends R> task);

  /** Runs {@code fn.apply(arg)} in a worker and returns its result. */
  <T, R> R apply(SerializableFunction<? super T, ? extends R> fn, T arg);

  /** Submits {@code task} (Python's {@code apply_async}). */
  <R> AsyncResult<R> applyAsync(SerializableCallable<? extends R> task);

  /**
   * Submits {@code task}; when it completes, the pool's callback thread calls {@code callback} with
   * its result or {@code errorCallback} with its failure (the task's exception, a {@link
   * ProcessPoolException}, or a {@link CancellationException}). A callback that throws is logged
   * and ignored.
   */
  <R> AsyncResult<R> applyAsync(
      SerializableCallable<? extends R> task,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback);

  // --- map family: inputs are read at once and cut into chunks, one task each

  /**
   * {@code fn} applied to every input, in input order (Python's {@code map}), with the default
   * chunk size {@code ceil(n / (4 * processes()))}. If tasks fail, every chunk still runs and the
   * first failure (in completion order) is thrown.
   */
  <T, R> List<R> map(SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs);

  /**
   * {@link #map(SerializableFunction, Iterable)} with {@code chunksize} inputs per task.
   *
   * @throws IllegalArgumentException if {@code chunksize < 1}
   */
  <T, R> List<R> map(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs, int chunksize);

  /** Submits a {@link #map(SerializableFunction, Iterable)} (Python's {@code map_async}). */
  <T, R> AsyncResult<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs);

  /** Submits a {@link #map(SerializableFunction, Iterable, int)}. */
  <T, R> AsyncResult<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs, int chunksize);

  /**
   * Submits a map whose whole result list goes to {@code callback}, or its first failure to {@code
   * errorCallback}, on the pool's callback thread. {@code chunksize} 0 means the default.
   */
  <T, R> AsyncResult<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback);

  /**
   * {@code fn.apply(key, value)} for every pair, in order (Python's {@code starmap}, with
   * two-element tuples as {@link Map.Entry}: {@code Map.entry(a, b)}, or a map's {@code
   * entrySet()}).
   */
  <A, B, R> List<R> starmap(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs);

  /** {@link #starmap(SerializableBiFunction, Iterable)} with {@code chunksize} pairs per task. */
  <A, B, R> List<R> starmap(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
      int chunksize);

  /**
   * Submits a {@link #starmap(SerializableBiFunction, Iterable)} (Python's {@code starmap_async}).
   */
  <A, B, R> AsyncResult<List<R>> starmapAsync(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs);

  // --- lazy, bounded iteration

  /**
   * Results of {@code fn} over {@code inputs} in input order, one input per task (Python's {@code
   * imap}).
   */
  <T, R> ResultIterator<R> imap(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs);

  /**
   * Results of {@code fn} over {@code inputs} in input order, {@code chunksize} inputs per task.
   *
   * @throws IllegalArgumentException if {@code chunksize < 1}
   */
  <T, R> ResultIterator<R> imap(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs, int chunksize);

  /** Results in completion order, one input per task (Python's {@code imap_unordered}). */
  <T, R> ResultIterator<R> imapUnordered(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs);

  /**
   * Results in completion order of the chunks (in input order within a chunk), {@code chunksize}
   * inputs per task.
   */
  <T, R> ResultIterator<R> imapUnordered(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs, int chunksize);

  /**
   * This pool as an {@link ExecutorService}, for code that expects one. Tasks must be serializable
   * ({@code (Callable<T> & Serializable) () -> ...}); others are refused with a {@link
   * java.util.concurrent.RejectedExecutionException} saying so. {@code shutdown()} is a close that
   * does not wait, {@code shutdownNow()} is {@link #terminate()}, {@code awaitTermination} waits
   * like {@link #join()}. One view per pool; it shares the pool's state.
   */
  ExecutorService asExecutorService();

  // --- lifecycle

  /**
   * Stops accepting tasks, lets the queued and running tasks finish, then waits for the workers to
   * exit: Python's {@code close()} then {@code join()}. If interrupted while waiting, terminates
   * the pool, waits for the workers to die, and sets the interrupt flag again. Idempotent.
   */
  @Override
  void close();

  /**
   * Kills the workers now (Python's {@code terminate()}): running tasks are abandoned and every
   * unfinished result is cancelled. Returns without waiting; {@link #join()} waits for the workers
   * to be gone. Idempotent.
   */
  void terminate();

  /**
   * Waits until every worker has exited and every callback has run.
   *
   * @throws IllegalStateException "Pool is still running" unless {@link #close()}, {@link
   *     #terminate()} or the executor view's {@code shutdown} came first
   */
  void join() throws InterruptedException;

  /** Options for a new pool. Not thread-safe. */
  final class Builder {
    int processes = Runtime.getRuntime().availableProcessors();
    Manager manager;
    SerializableRunnable initializer;
    int maxTasksPerChild;
    final List<String> jvmOptions = new ArrayList<>();
    int imapWindow;
    Duration startTimeout = Duration.ofSeconds(60);
    boolean loopbackTcp; // tests: the transport used where Unix domain sockets are unavailable

    Builder() {}

    /**
     * The number of workers (default: {@link Runtime#availableProcessors()}).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder processes(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("Number of processes must be at least 1, got " + n);
      }
      this.processes = n;
      return this;
    }

    /**
     * The manager whose shared objects tasks use: workers get its {@link
     * Manager#childEnvironment()}, so proxies passed in tasks reconnect inside them and {@link
     * Manager#connectFromEnvironment()} works in a task.
     */
    public Builder manager(Manager manager) {
      this.manager = requireNonNull(manager, "manager");
      return this;
    }

    /**
     * Runs once in every worker before its first task, replacements included (Python's {@code
     * initializer}). If it throws, the worker does not serve: {@link #start()} fails with its
     * exception as the cause, and a replacement that fails is reported to the tasks waiting for it.
     */
    public Builder initializer(SerializableRunnable initializer) {
      this.initializer = requireNonNull(initializer, "initializer");
      return this;
    }

    /**
     * Replaces a worker after it ran {@code n} tasks (Python's {@code maxtasksperchild}; a chunk of
     * a map is one task). Default: workers live as long as the pool.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder maxTasksPerChild(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxTasksPerChild must be a positive int, got " + n);
      }
      this.maxTasksPerChild = n;
      return this;
    }

    /**
     * Extra options for the worker JVMs, e.g. {@code -Xmx512m}, {@code -XX:TieredStopAtLevel=1}.
     */
    public Builder jvmOptions(String... options) {
      for (String option : options) {
        jvmOptions.add(requireNonNull(option, "option"));
      }
      return this;
    }

    /**
     * How many chunks an {@code imap} keeps submitted but not yet consumed (default: {@code 4 *
     * processes}). The parent holds at most {@code window * chunksize} inputs and results of one
     * imap at a time.
     *
     * @throws IllegalArgumentException if {@code chunks < 1}
     */
    public Builder imapWindow(int chunks) {
      if (chunks < 1) {
        throw new IllegalArgumentException("imapWindow must be at least 1, got " + chunks);
      }
      this.imapWindow = chunks;
      return this;
    }

    /** How long {@link #start()} waits for the workers to be ready (default 60 s). */
    public Builder startTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startTimeout must be positive, got " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    /**
     * Starts the workers in parallel and waits until each has connected and run the initializer.
     *
     * @throws ProcessPoolException if a worker cannot start (its JVM fails, the initializer throws,
     *     or the start timeout passes); no worker is left running
     */
    public ProcessPool start() {
      return PoolImpl.start(this);
    }

    @Override
    public String toString() {
      return "ProcessPool.Builder[processes="
          + processes
          + (maxTasksPerChild > 0 ? ", maxTasksPerChild=" + maxTasksPerChild : "")
          + (jvmOptions.isEmpty() ? "" : ", jvmOptions=" + Arrays.toString(jvmOptions.toArray()))
          + "]";
    }
  }
}
