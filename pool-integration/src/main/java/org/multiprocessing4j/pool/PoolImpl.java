package org.multiprocessing4j.pool;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
  final int imapWindow;
  final Duration startTimeout;
  final ConnectionAcceptor acceptor;
  final byte[] token;
  private final ClassLoader loader;
  private final AtomicLong jobIds = new AtomicLong();
  private final ThreadPoolExecutor callbacks;
  private volatile Thread callbackThread;
  private final PoolExecutorService executorView = new PoolExecutorService(this);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition(); // signalled after every event
  // guarded by lock
  private final PoolScheduler scheduler;
  private final Map<Long, WorkerHandle> handles = new HashMap<>(); // the scheduler's workers
  // Workers gone from the scheduler whose thread still delivers the outcome of the task it ran:
  // join() and awaitTermination() wait for them too, so that the task's future is done by then.
  private int exitsBeingReported;

  /**
   * An effect with what performing it needs, fixed under the lock: its worker, and for a frame its
   * ticket and payload (a task's payload is dropped once its outcome is delivered).
   */
  private record Step(PoolEffect effect, WorkerHandle worker, long ticket, byte[] payload) {}

  private PoolImpl(Builder options, byte[] initializerPayload) throws IOException {
    this.processes = options.processes;
    this.jvmOptions = List.copyOf(options.jvmOptions);
    this.workerStartupOptions = workerStartupOptions(this.jvmOptions);
    this.environment =
        options.manager == null ? Map.of() : Map.copyOf(options.manager.childEnvironment());
    this.initializerPayload = initializerPayload;
    this.imapWindow = options.imapWindow > 0 ? options.imapWindow : 4 * options.processes;
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
    pool.event(pool.scheduler::start);
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

  /** Runs one scheduler event under the lock, then performs its effects outside it. */
  private void event(Supplier<List<PoolEffect>> event) {
    List<Step> steps;
    lock.lock();
    try {
      steps = plan(event.get());
    } finally {
      lock.unlock();
    }
    perform(steps);
  }

  /**
   * Under the lock: registers the workers to start and tickets the frames to send, so that each
   * worker receives its frames in the order the scheduler decided them; wakes the waiters.
   */
  private List<Step> plan(List<PoolEffect> effects) {
    changed.signalAll();
    List<Step> steps = new ArrayList<>(effects.size());
    for (PoolEffect effect : effects) {
      WorkerHandle worker = null;
      long ticket = -1;
      byte[] payload = EMPTY;
      if (effect instanceof PoolEffect.StartWorker start) {
        worker = new WorkerHandle(start.worker(), this);
        handles.put(worker.id, worker);
      } else if (effect instanceof PoolEffect.Send send) {
        worker = handles.get(send.worker());
        ticket = worker.nextTicketLocked();
        if (send instanceof PoolEffect.SendTask task) {
          payload = task.job().payload;
        } else if (send instanceof PoolEffect.SendCancel cancel) {
          payload = new byte[] {(byte) (cancel.interrupt() ? 1 : 0)};
        }
      } else if (effect instanceof PoolEffect.KillWorker kill) {
        worker = handles.get(kill.worker());
      }
      steps.add(new Step(effect, worker, ticket, payload));
    }
    return steps;
  }

  /** Outside the lock: does what the scheduler decided, in order. */
  private void perform(List<Step> steps) {
    for (Step step : steps) {
      PoolEffect effect = step.effect();
      if (effect instanceof PoolEffect.StartWorker) {
        // Its own thread launches the JVM, then reads the worker's frames.
        Thread thread = new Thread(step.worker(), "mp4j-pool-worker-" + step.worker().id);
        thread.setDaemon(true);
        thread.start();
      } else if (effect instanceof PoolEffect.SendTask task) {
        try {
          step.worker().sendInOrder(step.ticket(), FrameKind.TASK, task.job().id, step.payload());
        } catch (IOException e) {
          // The connection broke before the task was sent: the task never ran, so it goes back.
          event(() -> scheduler.taskNotDelivered(task.worker(), task.job()));
        }
      } else if (effect instanceof PoolEffect.SendCancel cancel) {
        sendQuietly(step, FrameKind.CANCEL, cancel.job().id);
      } else if (effect instanceof PoolEffect.SendExit) {
        sendQuietly(step, FrameKind.EXIT, 0);
      } else if (effect instanceof PoolEffect.KillWorker) {
        if (step.worker() != null) {
          step.worker().kill();
        }
      } else if (effect instanceof PoolEffect.Deliver deliver) {
        deliver(deliver);
      } else if (effect instanceof PoolEffect.Log log) {
        LOG.log(log.level(), log.message(), log.cause());
      } else if (effect instanceof PoolEffect.StopAccepting) {
        acceptor.close();
      }
    }
  }

  /** Frames other than tasks do not matter to a broken connection: the worker is gone. */
  private static void sendQuietly(Step step, FrameKind kind, long frameId) {
    try {
      step.worker().sendInOrder(step.ticket(), kind, frameId, step.payload());
    } catch (IOException e) {
      // the worker's thread sees the end of its connection
    }
  }

  /** Calls a job's listener; never under the lock. */
  private static void deliver(PoolEffect.Deliver deliver) {
    try {
      if (deliver.failure() == null) {
        deliver.job().listener.succeeded(deliver.value());
      } else {
        deliver.job().listener.failed(deliver.failure());
      }
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "delivering a ProcessPool result failed", e);
    }
  }

  // ---------------------------------------------------------------- workers' reports

  void workerReady(WorkerHandle worker) {
    event(() -> scheduler.workerReady(worker.id));
  }

  void workerStartFailed(WorkerHandle worker, ProcessPoolException failure, int exitCode) {
    event(
        () -> {
          handles.remove(worker.id);
          return scheduler.workerStartFailed(worker.id, failure);
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
    event(() -> scheduler.resultArrived(worker.id, outcome));
  }

  /** The worker's thread saw its connection end and its JVM exit. */
  void workerExited(WorkerHandle worker, int exitCode) {
    long pid = worker.pid();
    List<Step> steps;
    lock.lock();
    try {
      handles.remove(worker.id);
      steps = plan(scheduler.workerExited(worker.id, pid, exitCode));
      exitsBeingReported++;
    } finally {
      lock.unlock();
    }
    try {
      perform(steps);
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
      List<Long> pids = new ArrayList<>();
      for (WorkerHandle worker : handles.values()) {
        long pid = worker.pid();
        if (pid > 0) {
          pids.add(pid);
        }
      }
      return pids;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- submission

  private long nextJobId() {
    return jobIds.incrementAndGet();
  }

  private static byte[] serializeTask(Work work) {
    try {
      return Wire.serialize(work);
    } catch (IOException | RuntimeException e) {
      throw new TaskSerializationException(
          "the task cannot be serialized (everything a task captures must be Serializable): " + e,
          e);
    }
  }

  private void checkRunning() {
    lock.lock();
    try {
      scheduler.checkRunning();
    } finally {
      lock.unlock();
    }
  }

  private void submit(List<Job> jobs) {
    event(() -> scheduler.submit(jobs));
  }

  private static <R> Job.Listener completing(PoolFuture<R> future) {
    return new Job.Listener() {
      @SuppressWarnings("unchecked")
      @Override
      public void succeeded(Object result) {
        future.complete((R) result);
      }

      @Override
      public void failed(Throwable failure) {
        future.fail(failure);
      }
    };
  }

  /** One job for {@code work}; {@code task} is what the caller submitted. */
  <R> PoolFuture<R> submitWork(Work work, Object task) {
    return submitWork(work, task, null, null);
  }

  private <R> PoolFuture<R> submitWork(
      Work work,
      Object task,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback) {
    checkRunning();
    byte[] payload = serializeTask(work);
    PoolFuture<R> future = new PoolFuture<>();
    future.callbacks(callbacks, callback, errorCallback);
    Job job = new Job(nextJobId(), payload, task, completing(future));
    future.onCancel(
        interrupt -> cancelJobs(List.of(job), interrupt, new CancellationException("cancelled")));
    submit(List.of(job));
    return future;
  }

  /** One chunk of an imap. */
  Job submitChunk(Work work, Job.Listener listener) {
    Job job = new Job(nextJobId(), serializeTask(work), work, listener);
    submit(List.of(job));
    return job;
  }

  /**
   * Withdraws jobs: queued ones are dropped, ones sent to a worker are skipped there if not
   * started, and interrupted if running and {@code interrupt}.
   */
  void cancelJobs(Collection<Job> jobs, boolean interrupt, CancellationException reason) {
    event(() -> scheduler.cancel(jobs, interrupt, reason));
  }

  static int defaultChunksize(int size, int processes) {
    int chunks = processes * 4;
    return size / chunks + (size % chunks == 0 ? 0 : 1);
  }

  private static void checkChunksize(int chunksize) {
    if (chunksize < 1) {
      throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
    }
  }

  @SuppressWarnings("unchecked")
  private static SerializableFunction<Object, Object> erase(SerializableFunction<?, ?> fn) {
    return (SerializableFunction<Object, Object>) requireNonNull(fn, "fn");
  }

  private static List<Object> toList(Iterable<?> inputs) {
    requireNonNull(inputs, "inputs");
    List<Object> items =
        inputs instanceof Collection
            ? new ArrayList<>(((Collection<?>) inputs).size())
            : new ArrayList<>();
    for (Object item : inputs) {
      items.add(item);
    }
    return items;
  }

  /** Cuts {@code size} items into chunks and submits one job per chunk. */
  private <R> PoolFuture<List<R>> submitChunks(
      int size,
      int chunksize,
      java.util.function.IntFunction<Work> chunkWork,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    checkRunning();
    PoolFuture<List<R>> future = new PoolFuture<>();
    future.callbacks(callbacks, callback, errorCallback);
    if (size == 0) {
      future.complete(new ArrayList<>());
      return future;
    }
    int effective = effective(chunksize, size);
    int chunks = (size + effective - 1) / effective;
    MapResult<R> result = new MapResult<>(size, effective, chunks, future);
    List<Job> jobs = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      Work work = chunkWork.apply(c * effective);
      jobs.add(new Job(nextJobId(), serializeTask(work), work, result.chunk(c)));
    }
    future.onCancel(
        interrupt -> cancelJobs(jobs, interrupt, new CancellationException("cancelled")));
    submit(jobs);
    return future;
  }

  /** The result of a synchronous call: the task's unchecked exception as is. */
  private static <T> T await(PoolFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw propagate(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ProcessPoolException("interrupted while waiting for the pool", e);
    }
  }

  /** Throws {@code failure} itself if unchecked, else wrapped in a {@link CompletionException}. */
  static RuntimeException propagate(Throwable failure) {
    if (failure instanceof RuntimeException) {
      throw (RuntimeException) failure;
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    throw new CompletionException(failure);
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
    return await(submitWork(Work.applyFunction(erase(fn), arg), fn));
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
    return submitWork(Work.call(task), task, callback, errorCallback);
  }

  @Override
  public <T, R> List<R> map(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
    return await(mapAsync(fn, inputs, 0, null, null));
  }

  @Override
  public <T, R> List<R> map(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize) {
    checkChunksize(chunksize);
    return await(mapAsync(fn, inputs, chunksize, null, null));
  }

  @Override
  public <T, R> AsyncResult<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn, Iterable<? extends T> inputs) {
    return mapAsync(fn, inputs, 0, null, null);
  }

  @Override
  public <T, R> AsyncResult<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize) {
    checkChunksize(chunksize);
    return mapAsync(fn, inputs, chunksize, null, null);
  }

  @Override
  public <T, R> PoolFuture<List<R>> mapAsync(
      SerializableFunction<? super T, ? extends R> fn,
      Iterable<? extends T> inputs,
      int chunksize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    SerializableFunction<Object, Object> f = erase(fn);
    if (chunksize < 0) {
      throw new IllegalArgumentException(
          "Chunksize must be 1+ (or 0 for the default), not " + chunksize);
    }
    List<Object> items = toList(inputs);
    int size = items.size();
    int step = effective(chunksize, size);
    return submitChunks(
        size,
        chunksize,
        from -> Work.mapChunk(f, items.subList(from, Math.min(size, from + step))),
        callback,
        errorCallback);
  }

  private int effective(int chunksize, int size) {
    return chunksize == 0 ? defaultChunksize(size, processes) : chunksize;
  }

  @Override
  public <A, B, R> List<R> starmap(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
    return await(starmapAsync(fn, pairs, 0));
  }

  @Override
  public <A, B, R> List<R> starmap(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
      int chunksize) {
    checkChunksize(chunksize);
    return await(starmapAsync(fn, pairs, chunksize));
  }

  @Override
  public <A, B, R> AsyncResult<List<R>> starmapAsync(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
    return starmapAsync(fn, pairs, 0);
  }

  @SuppressWarnings("unchecked")
  private <A, B, R> PoolFuture<List<R>> starmapAsync(
      SerializableBiFunction<? super A, ? super B, ? extends R> fn,
      Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs,
      int chunksize) {
    SerializableBiFunction<Object, Object, Object> f =
        (SerializableBiFunction<Object, Object, Object>) requireNonNull(fn, "fn");
    requireNonNull(pairs, "pairs");
    List<Object> firsts = new ArrayList<>();
    List<Object> seconds = new ArrayList<>();
    for (Map.Entry<? extends A, ? extends B> pair : pairs) {
      requireNonNull(pair, "a pair of starmap is null");
      firsts.add(pair.getKey());
      seconds.add(pair.getValue());
    }
    int size = firsts.size();
    int step = effective(chunksize, size);
    return submitChunks(
        size,
        chunksize,
        from -> {
          int to = Math.min(size, from + step);
          return Work.starChunk(f, firsts.subList(from, to), seconds.subList(from, to));
        },
        null,
        null);
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
    return newImap(fn, inputs, chunksize, true);
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
    return newImap(fn, inputs, chunksize, false);
  }

  private <R> ImapIterator<R> newImap(
      SerializableFunction<?, ?> fn, Iterable<?> inputs, int chunksize, boolean ordered) {
    SerializableFunction<Object, Object> f = erase(fn);
    requireNonNull(inputs, "inputs");
    checkChunksize(chunksize);
    checkRunning();
    return new ImapIterator<>(this, f, inputs.iterator(), chunksize, imapWindow, ordered);
  }

  @Override
  public ExecutorService asExecutorService() {
    return executorView;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Python's {@code close()}: no new tasks; workers exit once the queue is done. No waiting. */
  void shutdown() {
    event(scheduler::close);
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
    List<Step> steps;
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
    perform(steps);
    return tasks;
  }

  private static Runnable asRunnable(Object task) {
    if (task instanceof Runnable) {
      return (Runnable) task;
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
