package org.multiprocessing4j.pool;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The pool as {@link ProcessPool}: turns calls into jobs, feeds them and the workers' reports to
 * the {@link PoolScheduler} under one lock, and performs the effects it returns outside the lock
 * (sockets written, JVMs started and killed, listeners called). A worker's frames are sent in the
 * order the lock decided them (a ticket per frame, issued under the lock); a worker's frames are
 * read and its outcomes delivered on that worker's own thread. Thread-safe.
 */
final class PoolImpl implements ProcessPool {
  private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());
  private static final byte[] EMPTY = new byte[0];

  final int processes;
  final List<String> jvmOptions;
  // Options that make workers start sooner without changing what they do; before the caller's.
  final List<String> workerStartupOptions;
  final Map<String, String> environment;
  final byte[] initializerPayload;
  final Duration startTimeout;
  final ConnectionAcceptor acceptor;
  final byte[] token;
  private final ClassLoader loader;
  private final ThreadPoolExecutor callbacks;
  private final Submissions submissions;
  private volatile Thread callbackThread;
  private final PoolExecutorService executorView = new PoolExecutorService(this);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition(); // signalled after every event
  @GuardedBy("lock")
  private final PoolScheduler scheduler;
  private final EffectPerformer effects; // its handles are guarded by lock
  // Workers gone from the scheduler whose thread still delivers the outcome of the task it ran:
  // join() and awaitTermination() wait for them too, so that the task's future is done by then.
  private int exitsBeingReported;

  private PoolImpl(Builder options, byte[] initializerPayload) throws IOException {
    this.processes = options.processes;
    this.jvmOptions = List.copyOf(options.jvmOptions);
    this.workerStartupOptions = workerStartupOptions(this.jvmOptions);
    this.environment =
        options.manager == null ? Map.of() : Map.copyOf(options.manager.childEnvironment());
    this.initializerPayload = initializerPayload;
    this.startTimeout = options.startTimeout;
    this.scheduler =
        new PoolScheduler(options.processes, options.maxTasksPerChild, System::nanoTime);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    this.loader = context != null ? context : PoolImpl.class.getClassLoader();
    this.callbacks =
        new ThreadPoolExecutor(
            1,
            1,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "mp4j-pool-callbacks");
              t.setDaemon(true);
              callbackThread = t;
              return t;
            });
    callbacks.allowCoreThreadTimeOut(true);
    int imapWindow = options.imapWindow > 0 ? options.imapWindow : 4 * options.processes;
    this.submissions = new Submissions(processes, imapWindow, callbacks, new SchedulerGate());
    this.effects =
        new EffectPerformer(
            id -> new WorkerHandle(id, this),
            new EffectPerformer.Pool() {
              @Override
              public void taskNotDelivered(long worker, Job job) {
                event(s -> s.taskNotDelivered(worker, job));
              }

              @Override
              public void stopAccepting() {
                acceptor.close();
              }
            });
    this.acceptor = ConnectionAcceptor.open(!options.loopbackTcp);
    this.token = acceptor.token();
  }

  /**
   * The JDK's own selector provider, named: a worker's first socket otherwise looks for a provider
   * in every jar of the class path (opening each one), several milliseconds with a few dozen jars.
   * Only the JDK's provider is named, and only if the caller names none: the worker would have
   * found the same one.
   */
  static List<String> workerStartupOptions(List<String> callerOptions) {
    String property = "java.nio.channels.spi.SelectorProvider";
    if (callerOptions.stream().anyMatch(o -> o.startsWith("-D" + property + "="))) {
      return List.of();
    }
    Class<?> provider = SelectorProvider.provider().getClass();
    if (provider.getModule() != Object.class.getModule()) {
      return List.of();
    }
    return List.of("-D" + property + "=" + provider.getName());
  }

  static ProcessPool start(Builder options) {
    byte[] initializer = EMPTY;
    if (options.initializer != null) {
      try {
        initializer = Wire.serialize(options.initializer);
      } catch (IOException | RuntimeException e) {
        throw new TaskSerializationException("the initializer cannot be serialized: " + e, e);
      }
    }
    PoolImpl pool;
    try {
      pool = new PoolImpl(options, initializer);
    } catch (IOException e) {
      throw new ProcessPoolException(
          "cannot open the socket the workers connect to: " + e.getMessage(), e);
    }
    pool.event(PoolScheduler::start);
    pool.awaitReady();
    return pool;
  }

  /** Waits until every initial worker is ready; on failure, terminates and throws. */
  private void awaitReady() {
    ProcessPoolException failure;
    long deadline = System.nanoTime() + startTimeout.toNanos();
    lock.lock();
    try {
      while (true) {
        ProcessPoolException startFailure = scheduler.startFailure();
        if (startFailure != null) {
          failure =
              new ProcessPoolException(
                  "the pool could not start: " + startFailure.getMessage(),
                  startFailure.getCause() != null ? startFailure.getCause() : startFailure);
          break;
        }
        if (scheduler.state() != PoolScheduler.PoolState.RUNNING) {
          failure = new ProcessPoolException("the pool was terminated while starting");
          break;
        }
        if (scheduler.workersReady() >= processes) {
          scheduler.markStarted();
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          failure =
              new ProcessPoolException(
                  "the pool's workers were not ready within "
                      + startTimeout
                      + " ("
                      + scheduler.workersReady()
                      + " of "
                      + processes
                      + " ready)");
          break;
        }
        try {
          changed.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure = new ProcessPoolException("interrupted while starting the pool", e);
          break;
        }
      }
    } finally {
      lock.unlock();
    }
    terminate();
    boolean interrupted = Thread.interrupted();
    try {
      awaitTermination(TimeUnit.SECONDS.toNanos(10));
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    throw failure;
  }

  /** Where workers connect: a {@link PoolSocket} address. */
  String address() {
    return acceptor.address();
  }

  // ---------------------------------------------------------------- events and effects

  /**
   * Runs one scheduler event under the lock, then performs its effects outside it. The event gets
   * the scheduler as its argument: it runs only here, with the lock held.
   */
  private void event(Function<PoolScheduler, List<PoolEffect>> event) {
    List<EffectPerformer.Step> steps;
    lock.lock();
    try {
      steps = plan(event.apply(scheduler));
    } finally {
      lock.unlock();
    }
    effects.perform(steps);
  }

  /** Under the lock: plans the effects and wakes the waiters. */
  @GuardedBy("lock")
  private List<EffectPerformer.Step> plan(List<PoolEffect> planned) {
    changed.signalAll();
    return effects.plan(planned);
  }

  // ---------------------------------------------------------------- workers' reports

  void workerReady(WorkerHandle worker) {
    event(s -> s.workerReady(worker.id));
  }

  void workerStartFailed(WorkerHandle worker, ProcessPoolException failure, int exitCode) {
    event(
        s -> {
          effects.forget(worker.id);
          return s.workerStartFailed(worker.id, failure);
        });
  }

  /** A frame from a worker, on that worker's thread. */
  void frameFromWorker(WorkerHandle worker, Wire.Frame frame) {
    if (frame.kind == FrameKind.BYE) {
      // Told to exit and idle: ending it now is faster than its own exit, unless it writes the
      // class data archive as it exits (then its exit is awaited as usual).
      if (!worker.recordsArchive()) {
        worker.kill();
      }
    } else if (frame.kind.answersTask()) {
      answerFromWorker(worker, frame);
    } else {
      LOG.log(System.Logger.Level.ERROR, worker + " sent an unexpected frame kind " + frame.kind);
      worker.kill();
    }
  }

  /** A task's outcome: read outside the lock, unless nobody wants it any more. */
  private void answerFromWorker(WorkerHandle worker, Wire.Frame frame) {
    boolean halts = frame.kind == FrameKind.FAILED_RETIRING;
    boolean wanted;
    lock.lock();
    try {
      Job job = scheduler.awaitedAnswer(worker.id);
      wanted = job != null && job.id == frame.id && !job.finished;
    } finally {
      lock.unlock();
    }
    PoolScheduler.Answer answer;
    if (!wanted) {
      answer = PoolScheduler.Answer.unread(frame.id, halts);
    } else if (frame.kind == FrameKind.RESULT || frame.kind == FrameKind.RESULT_HOLDING) {
      try {
        answer = PoolScheduler.Answer.value(frame.id, Wire.deserialize(frame.payload, loader));
      } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
        answer =
            PoolScheduler.Answer.failure(
                frame.id,
                new TaskSerializationException(
                    "the task's result could not be deserialized in the parent: " + e, e),
                false);
      }
    } else {
      answer = PoolScheduler.Answer.failure(frame.id, decodeFailure(frame.payload), halts);
    }
    if (frame.kind == FrameKind.RESULT_HOLDING) {
      // Read (or unwanted): this JVM holds its own references now, the worker may drop its.
      try {
        worker.sendUnordered(FrameKind.RELEASE, frame.id, EMPTY);
      } catch (IOException e) {
        // the worker is gone, and its references with it
      }
    }
    PoolScheduler.Answer outcome = answer;
    event(s -> s.resultArrived(worker.id, outcome));
  }

  /** The worker's thread saw its connection end and its JVM exit. */
  void workerExited(WorkerHandle worker, int exitCode) {
    long pid = worker.pid();
    List<EffectPerformer.Step> steps;
    lock.lock();
    try {
      effects.forget(worker.id);
      steps = plan(scheduler.workerExited(worker.id, pid, exitCode));
      exitsBeingReported++;
    } finally {
      lock.unlock();
    }
    try {
      effects.perform(steps);
    } finally {
      lock.lock();
      try {
        exitsBeingReported--;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  Throwable decodeFailure(byte[] payload) {
    try {
      return ((RemoteFailure) Wire.deserialize(payload, loader)).toThrowable(loader);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      return new ProcessPoolException("a task failed, and its failure could not be read: " + e, e);
    }
  }

  /** Package-private, for tests: the pids of the workers currently running or starting. */
  List<Long> workerPids() {
    lock.lock();
    try {
      return effects.workerPids();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- submission

  /** The scheduler behind the lock, as {@link Submissions} sees it. */
  private final class SchedulerGate implements Submissions.Scheduling {
    @Override
    public void checkRunning() {
      lock.lock();
      try {
        scheduler.checkRunning();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void submit(List<Job> jobs) {
      event(s -> s.submit(jobs));
    }

    @Override
    public void cancel(Collection<Job> jobs, boolean interrupt, CancellationException reason) {
      event(s -> s.cancel(jobs, interrupt, reason));
    }
  }

  /** One job for {@code work}; {@code task} is what the caller submitted (the executor view). */
  <R> PoolFuture<R> submitWork(Work work, Object task) {
    return submissions.single(work, task, null, null);
  }

  /** The result of a synchronous call: the task's unchecked exception as is. */
  private static <T> T await(PoolFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw Submissions.propagate(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProcessPoolException("interrupted while waiting for the pool", e);
    }
  }

  // ---------------------------------------------------------------- ProcessPool

  @Override
  public int processes() {
    return processes;
  }

  @Override
  public <R> R apply(SerializableCallable<? extends R> task) {
    return await(applyAsync(task));
  }

  @Override
  public <T, R> R apply(SerializableFunction<? super T, ? extends R> fn, T arg) {
    requireNonNull(fn, "fn");
    Work work = Work.applyFunction(Submissions.erase(fn), arg);
    return await(submissions.single(work, fn, null, null));
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
    return await(submissions.map(fn, inputs, 0, null, null));
  }

  @Override
  public <T, R> List<R> map(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize) {
    Submissions.checkChunksize(chunksize);
    return await(submissions.map(fn, inputs, chunksize, null, null));
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
    return await(submissions.starmap(fn, pairs, 0));
  }

  @Override
  public <A, B, R> List<R> starmap(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
      int chunksize) {
    Submissions.checkChunksize(chunksize);
    return await(submissions.starmap(fn, pairs, chunksize));
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
    event(PoolScheduler::close);
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
    terminateAndListUnstarted();
  }

  /** Terminates; returns the tasks that never started (the executor view's shutdownNow). */
  List<Runnable> terminateAndListUnstarted() {
    PoolScheduler.Termination termination;
    List<EffectPerformer.Step> steps;
    lock.lock();
    try {
      termination = scheduler.terminate();
      steps = plan(termination.effects());
    } finally {
      lock.unlock();
    }
    List<Runnable> tasks = new ArrayList<>();
    for (Job job : termination.unstarted()) {
      tasks.add(asRunnable(job.keepAlive));
    }
    effects.perform(steps);
    return tasks;
  }

  private static Runnable asRunnable(Object task) {
    if (task instanceof Runnable runnable) {
      return runnable;
    }
    if (task instanceof Callable) {
      return new FutureTask<>((Callable<?>) task);
    }
    Work work = (Work) task;
    return new FutureTask<>(work::run);
  }

  @Override
  public void join() throws InterruptedException {
    if (Thread.currentThread() == callbackThread) {
      throw new IllegalStateException("a ProcessPool callback cannot wait for its own pool");
    }
    lock.lock();
    try {
      if (scheduler.state() == PoolScheduler.PoolState.RUNNING) {
        throw new IllegalStateException("Pool is still running");
      }
      while (!quiet()) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
    drainCallbacks();
  }

  private void drainCallbacks() throws InterruptedException {
    try {
      callbacks.submit(() -> {}).get();
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  /** Under the lock: no worker left, nothing queued. */
  @GuardedBy("lock")
  private boolean quiet() {
    return scheduler.drained() && exitsBeingReported == 0;
  }

  boolean isShutdown() {
    lock.lock();
    try {
      return scheduler.state() != PoolScheduler.PoolState.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  boolean isTerminated() {
    lock.lock();
    try {
      return scheduler.state() != PoolScheduler.PoolState.RUNNING && quiet();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the workers to be gone after a close or terminate; false on timeout. */
  boolean awaitTermination(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    lock.lock();
    try {
      while (scheduler.state() == PoolScheduler.PoolState.RUNNING || !quiet()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
    if (Thread.currentThread() != callbackThread) {
      drainCallbacks();
    }
    return true;
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "ProcessPool["
          + scheduler.state()
          + ", "
          + scheduler.workerIds().size()
          + " workers, "
          + scheduler.queued()
          + " queued]";
    } finally {
      lock.unlock();
    }
  }
}
