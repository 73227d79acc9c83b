package org.multiprocessing4j.pool;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The pool as {@link ProcessPool}: a facade. Calls become jobs in {@link Submissions}; jobs, the
 * workers' reports and close and terminate become events of the {@link PoolScheduler} behind its
 * lock ({@link LockedScheduler}), whose effects the {@link EffectPerformer} performs; workers
 * connect through the {@link ConnectionAcceptor}; callbacks run on the {@link CallbackExecutor}.
 * What is left here is the lifecycle: starting (and giving up), closing, terminating, waiting.
 *
 * <p>Thread-safe: its fields are final and each of their classes is thread-safe.
 */
final class PoolImpl implements ProcessPool {
  private final int processes;
  private final ConnectionAcceptor acceptor;
  private final CallbackExecutor callbacks = new CallbackExecutor();
  private final LockedScheduler scheduler;
  private final Submissions submissions;
  private final PoolExecutorService executorView = new PoolExecutorService(this);

  private PoolImpl(ProcessPool.Builder options, WorkerSpec spec, ConnectionAcceptor acceptor) {
    this.processes = options.processes;
    this.acceptor = acceptor;
    AnswerReader answers = AnswerReader.forCaller();
    this.scheduler =
        new LockedScheduler(
            new PoolScheduler(options.processes, options.maxTasksPerChild, System::nanoTime),
            (id, reports) ->
                new WorkerHandle(id, new WorkerHandle.Pool(spec, acceptor, answers, reports)),
            acceptor::close);
    int imapWindow = options.imapWindow > 0 ? options.imapWindow : 4 * options.processes;
    this.submissions = new Submissions(processes, imapWindow, callbacks, scheduler);
  }

  /** Starts the workers and waits until each is ready; on failure, none is left running. */
  static ProcessPool start(ProcessPool.Builder options) {
    WorkerSpec spec = new WorkerSpec(options);
    ConnectionAcceptor acceptor;
    try {
      acceptor = ConnectionAcceptor.open(!options.loopbackTcp);
    } catch (IOException e) {
      throw new ProcessPoolException(
          "cannot open the socket the workers connect to: " + e.getMessage(), e);
    }
    PoolImpl pool = new PoolImpl(options, spec, acceptor);
    pool.scheduler.start();
    ProcessPoolException failure = pool.scheduler.awaitStartup(options.startTimeout);
    if (failure != null) {
      pool.terminate();
      boolean interrupted = Thread.interrupted();
      try {
        pool.awaitTermination(TimeUnit.SECONDS.toNanos(10));
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      throw failure;
    }
    return pool;
  }

  /** Package-private, for tests: where workers connect, a {@link PoolSocket} address. */
  String address() {
    return acceptor.address();
  }

  /** Package-private, for tests: the pids of the workers currently running or starting. */
  List<Long> workerPids() {
    return scheduler.workerPids();
  }

  /** One job for {@code work}; {@code task} is what the caller submitted (the executor view). */
  <R> PoolFuture<R> submitWork(Work work, Object task) {
    return submissions.single(work, task, null, null);
  }

  // ---------------------------------------------------------------- ProcessPool

  @Override
  public int processes() {
    return processes;
  }

  @Override
  public <R> R apply(SerializableCallable<? extends R> task) {
    return applyAsync(task).resultForCaller();
  }

  @Override
  public <T, R> R apply(SerializableFunction<? super T, ? extends R> fn, T arg) {
    requireNonNull(fn, "fn");
    Work work = Work.applyFunction(Submissions.erase(fn), arg);
    return submissions.<R>single(work, fn, null, null).resultForCaller();
  }

  @Override
  public <R> PoolFuture<R> applyAsync(SerializableCallable<? extends R> task) {
    return applyAsync(task, null, null);
  }

  @Override
  public <R> PoolFuture<R> applyAsync(
      SerializableCallable<? extends R> task,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback) {
    requireNonNull(task, "task");
    return submissions.single(Work.call(task), task, callback, errorCallback);
  }

  @Override
  public <T, R> List<R> map(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
    return submissions.<R>map(fn, inputs, 0, null, null).resultForCaller();
  }

  @Override
  public <T, R> List<R> map(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize) {
    Submissions.checkChunksize(chunksize);
    return submissions.<R>map(fn, inputs, chunksize, null, null).resultForCaller();
  }

  @Override
  public <T, R> AsyncResult<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
    return submissions.map(fn, inputs, 0, null, null);
  }

  @Override
  public <T, R> AsyncResult<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize) {
    Submissions.checkChunksize(chunksize);
    return submissions.map(fn, inputs, chunksize, null, null);
  }

  @Override
  public <T, R> PoolFuture<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    return submissions.map(fn, inputs, chunksize, callback, errorCallback);
  }

  @Override
  public <A, B, R> List<R> starmap(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
    return submissions.<R>starmap(fn, pairs, 0).resultForCaller();
  }

  @Override
  public <A, B, R> List<R> starmap(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
      int chunksize) {
    Submissions.checkChunksize(chunksize);
    return submissions.<R>starmap(fn, pairs, chunksize).resultForCaller();
  }

  @Override
  public <A, B, R> AsyncResult<List<R>> starmapAsync(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
    return submissions.starmap(fn, pairs, 0);
  }

  @Override
  public <T, R> ResultIterator<R> imap(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
    return imap(fn, inputs, 1);
  }

  @Override
  public <T, R> ImapIterator<R> imap(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize) {
    return submissions.imap(fn, inputs, chunksize, true);
  }

  @Override
  public <T, R> ResultIterator<R> imapUnordered(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
    return imapUnordered(fn, inputs, 1);
  }

  @Override
  public <T, R> ImapIterator<R> imapUnordered(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize) {
    return submissions.imap(fn, inputs, chunksize, false);
  }

  @Override
  public ExecutorService asExecutorService() {
    return executorView;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Python's {@code close()}: no new tasks; workers exit once the queue is done. No waiting. */
  void shutdown() {
    scheduler.close();
  }

  @Override
  public void close() {
    shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        terminate();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void terminate() {
    scheduler.terminate();
  }

  /** Terminates; returns the jobs that never started (the executor view's shutdownNow). */
  List<Job> terminateAndListUnstarted() {
    return scheduler.terminate();
  }

  @Override
  public void join() throws InterruptedException {
    if (callbacks.isCallbackThread()) {
      throw new IllegalStateException("a ProcessPool callback cannot wait for its own pool");
    }
    scheduler.awaitQuiet(-1);
    callbacks.drain();
  }

  boolean isShutdown() {
    return scheduler.isShutdown();
  }

  boolean isTerminated() {
    return scheduler.isTerminated();
  }

  /** Waits for the workers to be gone after a close or terminate; false on timeout. */
  boolean awaitTermination(long nanos) throws InterruptedException {
    if (!scheduler.awaitQuiet(Math.max(0, nanos))) {
      return false;
    }
    if (!callbacks.isCallbackThread()) {
      callbacks.drain();
    }
    return true;
  }

  @Override
  public String toString() {
    return scheduler.toString();
  }
}
