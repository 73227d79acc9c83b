package org.multiprocessing4j.pool;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * The pool: a queue of jobs, a set of workers, and one lock over both. Each worker has at most
 * {@value #MAX_IN_FLIGHT} jobs sent and unanswered: it runs them in the order sent, so the first is
 * the one it is running (a worker that dies fails exactly that one; the others go back to the
 * queue) and the second is ready to start without waiting for a round trip to this JVM. Idle
 * workers are served first. Sockets are written and listeners called outside the lock, each
 * worker's frames in the order the lock assigned them (a ticket); a worker's frames are read and
 * its outcomes delivered on that worker's own thread.
 */
final class PoolImpl implements ProcessPool {
  private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());

  enum State {
    RUNNING,
    /** Takes no new jobs; workers exit once the queue is empty. */
    CLOSED,
    TERMINATED
  }

  private static final long START_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Jobs sent to one worker and not yet answered. */
  static final int MAX_IN_FLIGHT = 2;

  /** A frame to send once the lock is released, in ticket order for its worker. */
  private static final class Send {
    final WorkerHandle worker;
    final long ticket;
    final int kind;
    final Job job; // TASK or CANCEL: its job
    final byte[] payload;

    Send(WorkerHandle worker, int kind, Job job, byte[] payload) {
      this.worker = worker;
      this.ticket = worker.nextTicketLocked();
      this.kind = kind;
      this.job = job;
      this.payload = payload;
    }
  }

  final int processes;
  final List<String> jvmOptions;
  // Options that make workers start sooner without changing what they do; before the caller's.
  final List<String> workerStartupOptions;
  final Map<String, String> environment;
  final byte[] initializerPayload;
  final int maxTasksPerChild;
  final int imapWindow;
  final Duration startTimeout;
  final byte[] token = new byte[Wire.TOKEN_BYTES];
  private final PoolSocket server;
  private final ClassLoader loader;
  private final Map<Long, CompletableFuture<PoolSocket.Connection>> pendingConnections =
      new ConcurrentHashMap<>();
  private final AtomicLong jobIds = new AtomicLong();
  private final ThreadPoolExecutor callbacks;
  private volatile Thread callbackThread;
  private final PoolExecutorService executorView = new PoolExecutorService(this);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock
  private State state = State.RUNNING;
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final List<WorkerHandle> workers = new ArrayList<>();
  private long nextWorkerId;
  private int workersReady;
  // The last start failure, cleared by the next successful start. While set, the pool does not
  // keep respawning: it probes with one worker when it has none and work is waiting.
  private ProcessPoolException startFailure;
  private long nextStartAttempt; // System.nanoTime() after which a failed start may be retried
  private boolean started; // start() returned: later start failures are logged, not thrown

  private PoolImpl(Builder options, byte[] initializerPayload) throws IOException {
    this.processes = options.processes;
    this.jvmOptions = List.copyOf(options.jvmOptions);
    this.workerStartupOptions = workerStartupOptions(this.jvmOptions);
    this.environment =
        options.manager == null ? Map.of() : Map.copyOf(options.manager.childEnvironment());
    this.initializerPayload = initializerPayload;
    this.maxTasksPerChild = options.maxTasksPerChild;
    this.imapWindow = options.imapWindow > 0 ? options.imapWindow : 4 * options.processes;
    this.startTimeout = options.startTimeout;
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    this.loader = context != null ? context : PoolImpl.class.getClassLoader();
    new SecureRandom().nextBytes(token);
    this.server = PoolSocket.open(!options.loopbackTcp);
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
    Thread acceptor = new Thread(this::acceptConnections, "mp4j-pool-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
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
    byte[] initializer = new byte[0];
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
    pool.lock.lock();
    try {
      for (int i = 0; i < pool.processes; i++) {
        pool.spawnLocked();
      }
    } finally {
      pool.lock.unlock();
    }
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
        if (startFailure != null) {
          failure =
              new ProcessPoolException(
                  "the pool could not start: " + startFailure.getMessage(),
                  startFailure.getCause() != null ? startFailure.getCause() : startFailure);
          break;
        }
        if (state != State.RUNNING) {
          failure = new ProcessPoolException("the pool was terminated while starting");
          break;
        }
        if (workersReady >= processes) {
          started = true;
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          failure =
              new ProcessPoolException(
                  "the pool's workers were not ready within "
                      + startTimeout
                      + " ("
                      + workersReady
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

  // ---------------------------------------------------------------- connections

  /** Where workers connect: a {@link PoolSocket} address. */
  String address() {
    return server.address();
  }

  CompletableFuture<PoolSocket.Connection> expectConnection(long workerId) {
    return pendingConnections.computeIfAbsent(workerId, id -> new CompletableFuture<>());
  }

  void forgetConnection(long workerId) {
    CompletableFuture<PoolSocket.Connection> pending = pendingConnections.remove(workerId);
    if (pending != null
        && !pending.completeExceptionally(new IOException("abandoned"))
        && !pending.isCompletedExceptionally()) {
      closeQuietly(pending.join()); // it connected after all: hang up, the worker then exits
    }
  }

  private static void closeQuietly(PoolSocket.Connection connection) {
    if (connection != null) {
      connection.close();
    }
  }

  /** Accepts workers' connections; each hello is read on its own short-lived thread. */
  private void acceptConnections() {
    while (true) {
      PoolSocket.Connection connection;
      try {
        connection = server.accept();
      } catch (IOException e) {
        return; // the pool is done
      }
      // A local process that connects and sends nothing must not delay the workers.
      Thread hello = new Thread(() -> readHello(connection), "mp4j-pool-hello");
      hello.setDaemon(true);
      hello.start();
    }
  }

  /** A worker's hello: this pool's token and the worker's id; anything else is hung up on. */
  private void readHello(PoolSocket.Connection connection) {
    try {
      byte[] presented = new byte[Wire.TOKEN_BYTES];
      int magic = connection.in.readInt();
      long workerId = connection.in.readLong();
      connection.in.readFully(presented);
      CompletableFuture<PoolSocket.Connection> pending =
          magic == Wire.MAGIC && MessageDigest.isEqual(presented, token)
              ? pendingConnections.remove(workerId)
              : null;
      if (pending == null || !pending.complete(connection)) {
        connection.close();
      }
    } catch (IOException e) {
      connection.close();
    }
  }

  // ---------------------------------------------------------------- workers

  /** Starts one more worker; its own thread launches the JVM. */
  private void spawnLocked() {
    WorkerHandle worker = new WorkerHandle(nextWorkerId++, this);
    workers.add(worker);
    Thread thread = new Thread(worker, "mp4j-pool-worker-" + worker.id);
    thread.setDaemon(true);
    thread.start();
  }

  private int liveWorkersLocked() {
    int live = 0;
    for (WorkerHandle w : workers) {
      if (w.status == WorkerHandle.Status.STARTING || w.status == WorkerHandle.Status.READY) {
        live++;
      }
    }
    return live;
  }

  /** Drops finished (cancelled) jobs at the head; whether work is waiting. */
  private boolean hasQueuedWorkLocked() {
    while (!queue.isEmpty() && queue.peekFirst().finished) {
      queue.pollFirst();
    }
    return !queue.isEmpty();
  }

  /** Spawns workers up to what the state needs. */
  private void ensureWorkersLocked() {
    if (state == State.TERMINATED) {
      return;
    }
    int live = liveWorkersLocked();
    boolean work = hasQueuedWorkLocked();
    int wanted = state == State.RUNNING || work ? processes : 0;
    if (startFailure != null && live < wanted) {
      // After a failed start: one new attempt at once if nobody is left to do queued work, else
      // one every few seconds (a passing failure must not shrink the pool for good).
      long now = System.nanoTime();
      if ((live == 0 && work) || now - nextStartAttempt >= 0) {
        nextStartAttempt = now + START_RETRY_NANOS;
        spawnLocked();
      }
      return;
    }
    for (int i = live; i < wanted; i++) {
      spawnLocked();
    }
  }

  /**
   * Gives queued jobs to workers, idle ones first, then a second one each; once closed and drained,
   * tells idle workers to exit.
   */
  private List<Send> assignLocked() {
    List<Send> sends = new ArrayList<>(0);
    fill:
    for (int depth = 0; depth < MAX_IN_FLIGHT; depth++) {
      for (WorkerHandle w : workers) {
        if (w.status != WorkerHandle.Status.READY
            || w.inFlight.size() != depth
            || (maxTasksPerChild > 0 && w.tasksDone + depth >= maxTasksPerChild)) {
          continue;
        }
        if (!hasQueuedWorkLocked()) {
          break fill;
        }
        Job job = queue.pollFirst();
        w.inFlight.add(job);
        job.worker = w;
        sends.add(new Send(w, Wire.TASK, job, job.payload));
      }
    }
    if (state != State.RUNNING && !hasQueuedWorkLocked()) {
      for (WorkerHandle w : workers) {
        if (w.status == WorkerHandle.Status.READY && w.inFlight.isEmpty()) {
          w.status = WorkerHandle.Status.RETIRING;
          sends.add(new Send(w, Wire.EXIT, null, new byte[0]));
        }
      }
    }
    return sends;
  }

  private void perform(List<Send> sends) {
    for (Send send : sends) {
      try {
        send.worker.sendInOrder(
            send.ticket, send.kind, send.job == null ? 0 : send.job.id, send.payload);
      } catch (IOException e) {
        if (send.kind == Wire.TASK) {
          taskNotDelivered(send.worker, send.job);
        }
        // other frames to a broken connection do not matter: the worker is gone
      }
    }
  }

  /** The connection broke before the task was sent: the task never ran, so it goes back. */
  private void taskNotDelivered(WorkerHandle worker, Job job) {
    List<Send> sends;
    lock.lock();
    try {
      if (job.worker == worker && worker.inFlight.remove(job) && !job.finished) {
        job.worker = null;
        queue.addFirst(job);
      }
      if (worker.status == WorkerHandle.Status.READY) {
        worker.status = WorkerHandle.Status.RETIRING; // broken: its thread will see the end
      }
      ensureWorkersLocked();
      sends = assignLocked();
    } finally {
      lock.unlock();
    }
    perform(sends);
  }

  void workerReady(WorkerHandle worker) {
    List<Send> sends;
    lock.lock();
    try {
      if (worker.status == WorkerHandle.Status.STARTING) {
        worker.status = WorkerHandle.Status.READY;
      }
      workersReady++;
      startFailure = null;
      ensureWorkersLocked();
      sends = assignLocked();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    perform(sends);
  }

  void workerStartFailed(WorkerHandle worker, ProcessPoolException failure, int exitCode) {
    List<Job> abandoned = new ArrayList<>();
    List<Send> sends;
    lock.lock();
    try {
      worker.status = WorkerHandle.Status.GONE;
      workers.remove(worker);
      if (state != State.TERMINATED) {
        if (started) {
          LOG.log(System.Logger.Level.WARNING, "a ProcessPool worker failed to start", failure);
        }
        startFailure = failure;
        nextStartAttempt = System.nanoTime() + START_RETRY_NANOS;
        if (liveWorkersLocked() == 0) {
          // Nobody is left to run the queue: fail it rather than hang (Python respawns forever).
          abandoned.addAll(queue);
          queue.clear();
        }
      }
      ensureWorkersLocked();
      sends = assignLocked();
      closeServerIfDoneLocked();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Job job : abandoned) {
      deliver(
          job,
          null,
          new ProcessPoolException(
              "no worker could be started to run this task: " + failure.getMessage(), failure));
    }
    perform(sends);
  }

  /** A frame from a worker, on that worker's thread. */
  void frameFromWorker(WorkerHandle worker, Wire.Frame frame) {
    if (frame.kind == Wire.BYE) {
      // Told to exit and idle: ending it now is faster than its own exit, unless it writes the
      // class data archive as it exits (then its exit is awaited as usual).
      if (!worker.recordsArchive()) {
        worker.kill();
      }
      return;
    }
    if (frame.kind != Wire.RESULT
        && frame.kind != Wire.RESULT_HOLDING
        && frame.kind != Wire.FAILED
        && frame.kind != Wire.FAILED_RETIRING) {
      LOG.log(System.Logger.Level.ERROR, worker + " sent an unexpected frame kind " + frame.kind);
      worker.kill();
      return;
    }
    Job job;
    boolean wanted;
    lock.lock();
    try {
      job = worker.inFlight.peekFirst();
      wanted = job != null && !job.finished;
    } finally {
      lock.unlock();
    }
    if (job == null || job.id != frame.id) {
      LOG.log(System.Logger.Level.ERROR, worker + " answered task " + frame.id + ", not " + job);
      worker.kill();
      return;
    }
    if (wanted) {
      if (frame.kind == Wire.RESULT || frame.kind == Wire.RESULT_HOLDING) {
        try {
          deliver(job, Wire.deserialize(frame.payload, loader), null);
        } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
          deliver(
              job,
              null,
              new TaskSerializationException(
                  "the task's result could not be deserialized in the parent: " + e, e));
        }
      } else {
        deliver(job, null, decodeFailure(frame.payload));
      }
    }
    if (frame.kind == Wire.RESULT_HOLDING) {
      // Deserialized: this JVM holds its own references now, the worker may drop its.
      try {
        worker.sendUnordered(Wire.RELEASE, job.id, new byte[0]);
      } catch (IOException e) {
        // the worker is gone, and its references with it
      }
    }
    List<Send> sends;
    lock.lock();
    try {
      worker.inFlight.pollFirst();
      job.worker = null;
      job.keepAlive = null;
      worker.tasksDone++;
      if (worker.status == WorkerHandle.Status.READY) {
        if (frame.kind == Wire.FAILED_RETIRING) {
          worker.status = WorkerHandle.Status.RETIRING;
          worker.exitsByItself = true;
        } else if (maxTasksPerChild > 0 && worker.tasksDone >= maxTasksPerChild) {
          worker.status = WorkerHandle.Status.RETIRING; // the quota kept its in-flight empty
        }
      }
      ensureWorkersLocked();
      sends = assignLocked();
      if (worker.status == WorkerHandle.Status.RETIRING
          && !worker.exitsByItself
          && worker.inFlight.isEmpty()
          && maxTasksPerChild > 0
          && worker.tasksDone == maxTasksPerChild) {
        sends.add(new Send(worker, Wire.EXIT, null, new byte[0]));
      }
    } finally {
      lock.unlock();
    }
    if (frame.kind == Wire.FAILED_RETIRING) {
      worker.kill(); // it would halt by itself, only later; its prefetched task goes back now
    }
    perform(sends);
  }

  /** The worker's thread saw its connection end and its JVM exit. */
  void workerExited(WorkerHandle worker, int exitCode) {
    Job running = null;
    boolean expected;
    lock.lock();
    try {
      expected = worker.status == WorkerHandle.Status.RETIRING || state == State.TERMINATED;
      worker.status = WorkerHandle.Status.GONE;
      if (!worker.exitsByItself) {
        running = worker.inFlight.pollFirst();
      }
      // The others never started: they go back to the queue, in order.
      for (Job job = worker.inFlight.pollLast(); job != null; job = worker.inFlight.pollLast()) {
        job.worker = null;
        if (!job.finished && state != State.TERMINATED) {
          queue.addFirst(job);
        }
      }
      if (running != null) {
        running.worker = null;
        running.keepAlive = null;
      }
    } finally {
      lock.unlock();
    }
    if (running != null) {
      deliver(
          running,
          null,
          new WorkerDiedException(
              "worker pid "
                  + worker.pid()
                  + " died while running this task ("
                  + WorkerHandle.describeExit(exitCode)
                  + "); the pool replaced it",
              worker.pid(),
              exitCode));
    } else if (!expected) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ProcessPool "
              + worker
              + " exited unexpectedly ("
              + WorkerHandle.describeExit(exitCode)
              + "); replacing it");
    }
    List<Send> sends;
    lock.lock();
    try {
      workers.remove(worker);
      ensureWorkersLocked();
      sends = assignLocked();
      closeServerIfDoneLocked();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    perform(sends);
  }

  private void closeServerIfDoneLocked() {
    if (state != State.RUNNING && workers.isEmpty() && !hasQueuedWorkLocked()) {
      server.close();
    }
  }

  /** Delivers a job's outcome, the first one only; never under the lock. */
  private void deliver(Job job, Object value, Throwable failure) {
    lock.lock();
    try {
      if (job.finished) {
        return;
      }
      job.finished = true;
      job.payload = null;
    } finally {
      lock.unlock();
    }
    try {
      if (failure == null) {
        job.listener.succeeded(value);
      } else {
        job.listener.failed(failure);
      }
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "delivering a ProcessPool result failed", e);
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
      for (WorkerHandle w : workers) {
        long pid = w.pid();
        if (pid > 0 && w.status != WorkerHandle.Status.GONE) {
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
      if (state != State.RUNNING) {
        throw new IllegalStateException("Pool not running");
      }
    } finally {
      lock.unlock();
    }
  }

  private void submit(List<Job> jobs) {
    List<Send> sends;
    lock.lock();
    try {
      if (state != State.RUNNING) {
        throw new IllegalStateException("Pool not running");
      }
      queue.addAll(jobs);
      ensureWorkersLocked();
      sends = assignLocked();
    } finally {
      lock.unlock();
    }
    perform(sends);
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
    List<Job> withdrawn = new ArrayList<>();
    List<Send> cancels = new ArrayList<>();
    lock.lock();
    try {
      for (Job job : jobs) {
        if (job.finished) {
          continue;
        }
        withdrawn.add(job);
        if (job.worker != null) {
          cancels.add(
              new Send(job.worker, Wire.CANCEL, job, new byte[] {(byte) (interrupt ? 1 : 0)}));
        }
      }
      if (!withdrawn.isEmpty()) {
        queue.removeIf(withdrawn::contains);
      }
    } finally {
      lock.unlock();
    }
    perform(cancels);
    for (Job job : withdrawn) {
      deliver(job, null, reason);
    }
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
    List<Send> sends;
    lock.lock();
    try {
      if (state == State.RUNNING) {
        state = State.CLOSED;
      }
      ensureWorkersLocked();
      sends = assignLocked();
      closeServerIfDoneLocked();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    perform(sends);
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
    List<Job> unstarted = new ArrayList<>();
    List<Job> running = new ArrayList<>();
    List<WorkerHandle> toKill;
    lock.lock();
    try {
      if (state == State.TERMINATED) {
        return new ArrayList<>();
      }
      state = State.TERMINATED;
      for (Job job : queue) {
        if (!job.finished) {
          unstarted.add(job);
        }
      }
      queue.clear();
      for (WorkerHandle w : workers) {
        for (Job job : w.inFlight) {
          if (!job.finished) {
            running.add(job);
          }
        }
      }
      toKill = new ArrayList<>(workers);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (WorkerHandle w : toKill) {
      w.kill();
    }
    server.close();
    for (Long id : List.copyOf(pendingConnections.keySet())) {
      forgetConnection(id);
    }
    List<Runnable> tasks = new ArrayList<>();
    for (Job job : unstarted) {
      tasks.add(asRunnable(job.keepAlive));
    }
    CancellationException reason = new CancellationException("the pool was terminated");
    for (Job job : unstarted) {
      deliver(job, null, reason);
    }
    for (Job job : running) {
      deliver(job, null, reason);
    }
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
      if (state == State.RUNNING) {
        throw new IllegalStateException("Pool is still running");
      }
      while (!workers.isEmpty() || hasQueuedWorkLocked()) {
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

  boolean isShutdown() {
    lock.lock();
    try {
      return state != State.RUNNING;
    } finally {
      lock.unlock();
    }
  }

  boolean isTerminated() {
    lock.lock();
    try {
      return state != State.RUNNING && workers.isEmpty() && !hasQueuedWorkLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the workers to be gone after a close or terminate; false on timeout. */
  boolean awaitTermination(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    lock.lock();
    try {
      while (state == State.RUNNING || !workers.isEmpty() || hasQueuedWorkLocked()) {
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
          + state
          + ", "
          + workers.size()
          + " workers, "
          + queue.size()
          + " queued]";
    } finally {
      lock.unlock();
    }
  }
}
