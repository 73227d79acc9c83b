package org.multiprocessing4j.pool;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The pool's rules without I/O: a queue of jobs and the workers' states. Each event method updates
 * them and returns the {@link PoolEffect}s to perform, in order; the caller performs them (sockets,
 * processes, listeners) and reports what happened as further events.
 *
 * <p>Each worker has at most {@value #MAX_IN_FLIGHT} jobs sent and unanswered: it runs them in the
 * order sent, so the first is the one it is running (a worker that dies fails exactly that one; the
 * others go back to the head of the queue) and the second is ready to start without waiting for a
 * round trip. Idle workers are served first. A worker that has run {@code maxTasksPerChild} tasks
 * is told to exit and replaced. After a failed start the pool does not keep respawning: it starts
 * one worker at once if none is left to run queued work, else one per {@link #START_RETRY_NANOS}
 * (checked at the next event); with no worker left, queued jobs fail rather than wait.
 *
 * <p>Not thread-safe: the pool calls it under its lock. Time comes from the injected clock.
 */
final class PoolScheduler {
  /** Jobs sent to one worker and not yet answered. */
  static final int MAX_IN_FLIGHT = 2;

  /** How long after a failed start the next attempt waits (unless no worker is left). */
  static final long START_RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

  enum PoolState {
    RUNNING,
    /** Takes no new jobs; workers exit once the queue is empty. */
    CLOSED,
    TERMINATED
  }

  /** A worker's life; every change of a worker's state goes through {@link #after}. */
  enum WorkerState {
    STARTING,
    /** Connected and initialized: takes tasks. */
    READY,
    /** Told to exit (or exiting on its own): takes no more tasks. */
    RETIRING,
    GONE;

    WorkerState after(WorkerEvent event) {
      return switch (event) {
        case CONNECTED -> this == STARTING ? READY : this;
        case RETIRE -> this == READY ? RETIRING : this;
        case ENDED -> GONE;
      };
    }

    boolean live() {
      return this == STARTING || this == READY;
    }
  }

  /** What happens to a worker. */
  enum WorkerEvent {
    /** Its JVM connected and ran the initializer. */
    CONNECTED,
    /** It is to take no more tasks: quota reached, told to exit, broken, or halting by itself. */
    RETIRE,
    /** Its JVM failed to start or exited. */
    ENDED
  }

  /** One worker as the scheduler sees it. */
  static final class Worker {
    final long id;
    private WorkerState state = WorkerState.STARTING;
    // Tasks sent and not yet answered, in the order sent: the first is the one it is running.
    private final ArrayDeque<Job> inFlight = new ArrayDeque<>();
    private int tasksDone;
    private boolean
        exitsByItself; // it reported an out-of-memory error and halts: nothing else runs

    private Worker(long id) {
      this.id = id;
    }

    WorkerState state() {
      return state;
    }

    private void on(WorkerEvent event) {
      state = state.after(event);
    }

    @Override
    public String toString() {
      return "worker " + id + " " + state + " " + inFlight;
    }
  }

  /**
   * A worker's answer to a job: its outcome if {@link #read} (the pool does not read answers to
   * finished jobs), and whether the worker halts after it.
   */
  record Answer(long jobId, boolean read, Object value, Throwable failure, boolean workerHalts) {
    static Answer value(long jobId, Object value) {
      return new Answer(jobId, true, value, null, false);
    }

    static Answer failure(long jobId, Throwable failure, boolean workerHalts) {
      return new Answer(jobId, true, null, failure, workerHalts);
    }

    static Answer unread(long jobId, boolean workerHalts) {
      return new Answer(jobId, false, null, null, workerHalts);
    }
  }

  /** What {@link #terminate} did: the jobs that never started, and the effects to perform. */
  record Termination(List<Job> unstarted, List<PoolEffect> effects) {}

  private final int processes;
  private final int maxTasksPerChild;
  private final LongSupplier nanoClock;

  private PoolState state = PoolState.RUNNING;
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final Map<Long, Worker> workers = new LinkedHashMap<>(); // in the order started
  private long nextWorkerId;
  private int workersReady;
  // The last start failure, cleared by the next successful start.
  private ProcessPoolException startFailure;
  private long nextStartAttempt; // clock time after which a failed start may be retried
  private boolean started; // every initial worker was ready: later start failures are logged
  private boolean stoppedAccepting;

  /**
   * @param maxTasksPerChild tasks after which a worker is replaced; 0 for never
   * @param nanoClock {@link System#nanoTime} or a test's clock
   */
  PoolScheduler(int processes, int maxTasksPerChild, LongSupplier nanoClock) {
    this.processes = processes;
    this.maxTasksPerChild = maxTasksPerChild;
    this.nanoClock = nanoClock;
  }

  // ---------------------------------------------------------------- events

  /** The pool starts: its initial workers. */
  List<PoolEffect> start() {
    List<PoolEffect> effects = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      spawn(effects);
    }
    return effects;
  }

  /** Queues jobs. */
  List<PoolEffect> submit(Collection<Job> jobs) {
    checkRunning();
    queue.addAll(jobs);
    return reconcile(new ArrayList<>());
  }

  /** A worker connected and ran the initializer. */
  List<PoolEffect> workerReady(long workerId) {
    Worker worker = workers.get(workerId);
    if (worker != null) {
      worker.on(WorkerEvent.CONNECTED);
    }
    workersReady++;
    startFailure = null;
    return reconcile(new ArrayList<>());
  }

  /** A worker's JVM did not start, did not connect in time, or its initializer failed. */
  List<PoolEffect> workerStartFailed(long workerId, ProcessPoolException failure) {
    List<PoolEffect> effects = new ArrayList<>();
    Worker worker = workers.remove(workerId);
    if (worker != null) {
      worker.on(WorkerEvent.ENDED);
    }
    if (state != PoolState.TERMINATED) {
      if (started) {
        effects.add(
            new PoolEffect.Log(Level.WARNING, "a ProcessPool worker failed to start", failure));
      }
      startFailure = failure;
      nextStartAttempt = nanoClock.getAsLong() + START_RETRY_NANOS;
      if (liveWorkers() == 0) {
        // Nobody is left to run the queue: fail it rather than hang (Python respawns forever).
        for (Job job : queue) {
          deliver(
              effects,
              job,
              null,
              new ProcessPoolException(
                  "no worker could be started to run this task: " + failure.getMessage(), failure));
        }
        queue.clear();
      }
    }
    return reconcile(effects);
  }

  /**
   * Whether a worker's answer about {@code jobId} is to be read: it is about the first job sent to
   * that worker (the only one a worker answers next) and nobody has that job's outcome yet.
   */
  boolean wantsAnswer(long workerId, long jobId) {
    Worker worker = workers.get(workerId);
    Job job = worker == null ? null : worker.inFlight.peekFirst();
    return job != null && job.id == jobId && !job.finished;
  }

  /**
   * A worker answered its first job. {@link Answer#workerHalts}: the worker ran out of memory and
   * exits by itself; it is killed now so that its second job goes back to the queue at once.
   */
  List<PoolEffect> resultArrived(long workerId, Answer answer) {
    List<PoolEffect> effects = new ArrayList<>();
    Worker worker = workers.get(workerId);
    if (worker == null) {
      return effects;
    }
    Job job = worker.inFlight.peekFirst();
    if (job == null || job.id != answer.jobId()) {
      effects.add(
          new PoolEffect.Log(
              Level.ERROR,
              "ProcessPool worker "
                  + workerId
                  + " answered task "
                  + answer.jobId()
                  + ", not "
                  + job,
              null));
      effects.add(new PoolEffect.KillWorker(workerId));
      return effects;
    }
    if (answer.read()) {
      deliver(effects, job, answer.value(), answer.failure());
    }
    worker.inFlight.pollFirst();
    job.worker = null;
    job.keepAlive = null;
    worker.tasksDone++;
    if (answer.workerHalts()) {
      worker.exitsByItself = true;
      worker.on(WorkerEvent.RETIRE);
      effects.add(new PoolEffect.KillWorker(workerId));
    } else if (reachedQuota(worker, 0)) {
      worker.on(WorkerEvent.RETIRE); // the quota kept its in-flight empty
    }
    reconcile(effects);
    if (worker.state == WorkerState.RETIRING
        && !worker.exitsByItself
        && worker.inFlight.isEmpty()
        && maxTasksPerChild > 0
        && worker.tasksDone == maxTasksPerChild) {
      effects.add(new PoolEffect.SendExit(workerId));
    }
    return effects;
  }

  /**
   * A task frame could not be written (the connection broke): the task never ran, so it goes back.
   */
  List<PoolEffect> taskNotDelivered(long workerId, Job job) {
    Worker worker = workers.get(workerId);
    if (worker != null) {
      if (job.worker == worker && worker.inFlight.remove(job)) {
        job.worker = null;
        if (!job.finished) {
          queue.addFirst(job);
        }
      }
      worker.on(WorkerEvent.RETIRE); // broken: its reader will see the end
    }
    return reconcile(new ArrayList<>());
  }

  /**
   * A worker's JVM exited (its connection ended first). The job it was running fails with a {@link
   * WorkerDiedException}; the ones sent after it never started and go back to the head of the
   * queue, in order.
   */
  List<PoolEffect> workerExited(long workerId, long pid, int exitCode) {
    List<PoolEffect> effects = new ArrayList<>();
    Worker worker = workers.remove(workerId);
    if (worker == null) {
      return reconcile(effects);
    }
    boolean expected = worker.state == WorkerState.RETIRING || state == PoolState.TERMINATED;
    worker.on(WorkerEvent.ENDED);
    Job running = worker.exitsByItself ? null : worker.inFlight.pollFirst();
    for (Job job = worker.inFlight.pollLast(); job != null; job = worker.inFlight.pollLast()) {
      job.worker = null;
      if (!job.finished && state != PoolState.TERMINATED) {
        queue.addFirst(job);
      }
    }
    if (running != null) {
      running.worker = null;
      running.keepAlive = null;
      deliver(
          effects,
          running,
          null,
          new WorkerDiedException(
              "worker pid "
                  + pid
                  + " died while running this task ("
                  + WorkerHandle.describeExit(exitCode)
                  + "); the pool replaced it",
              pid,
              exitCode));
    } else if (!expected) {
      effects.add(
          new PoolEffect.Log(
              Level.WARNING,
              "ProcessPool worker "
                  + workerId
                  + " (pid "
                  + pid
                  + ") exited unexpectedly ("
                  + WorkerHandle.describeExit(exitCode)
                  + "); replacing it",
              null));
    }
    return reconcile(effects);
  }

  /**
   * Withdraws jobs: queued ones are dropped, ones sent to a worker are skipped there if not started
   * and interrupted if running and {@code interrupt}; each unfinished one fails with {@code
   * reason}.
   */
  List<PoolEffect> cancel(Collection<Job> jobs, boolean interrupt, CancellationException reason) {
    List<PoolEffect> effects = new ArrayList<>();
    List<Job> withdrawn = new ArrayList<>();
    for (Job job : jobs) {
      if (job.finished) {
        continue;
      }
      withdrawn.add(job);
      if (job.worker != null) {
        effects.add(new PoolEffect.SendCancel(job.worker.id, job, interrupt));
      }
    }
    if (!withdrawn.isEmpty()) {
      queue.removeIf(withdrawn::contains);
    }
    for (Job job : withdrawn) {
      deliver(effects, job, null, reason);
    }
    return effects;
  }

  /** Python's {@code close()}: no new jobs; workers exit once the queue is done. */
  List<PoolEffect> close() {
    if (state == PoolState.RUNNING) {
      state = PoolState.CLOSED;
    }
    return reconcile(new ArrayList<>());
  }

  /**
   * Ends the pool now: every worker is killed and every unfinished job fails with a {@link
   * CancellationException}. Nothing the second time.
   */
  Termination terminate() {
    if (state == PoolState.TERMINATED) {
      return new Termination(List.of(), List.of());
    }
    state = PoolState.TERMINATED;
    List<Job> unstarted = new ArrayList<>();
    for (Job job : queue) {
      if (!job.finished) {
        unstarted.add(job);
      }
    }
    queue.clear();
    List<Job> running = new ArrayList<>();
    List<PoolEffect> effects = new ArrayList<>();
    for (Worker worker : workers.values()) {
      for (Job job : worker.inFlight) {
        if (!job.finished) {
          running.add(job);
        }
      }
      effects.add(new PoolEffect.KillWorker(worker.id));
    }
    stoppedAccepting = true;
    effects.add(new PoolEffect.StopAccepting());
    CancellationException reason = new CancellationException("the pool was terminated");
    for (Job job : unstarted) {
      deliver(effects, job, null, reason);
    }
    for (Job job : running) {
      deliver(effects, job, null, reason);
    }
    return new Termination(unstarted, effects);
  }

  // ---------------------------------------------------------------- queries

  PoolState state() {
    return state;
  }

  /**
   * Whether the pool's start is over: every initial worker was ready at once. From then on a failed
   * start is logged (no caller sees it) and the pool replaces workers on its own.
   */
  boolean startupComplete() {
    if (workersReady >= processes) {
      started = true;
    }
    return started;
  }

  /**
   * Why the pool's start failed, while {@link #startupComplete} is false: a worker failed to start
   * (the failure's cause), or the pool was terminated; null while the workers are still starting.
   */
  ProcessPoolException startupFailure() {
    if (startFailure != null) {
      return new ProcessPoolException(
          "the pool could not start: " + startFailure.getMessage(),
          startFailure.getCause() != null ? startFailure.getCause() : startFailure);
    }
    if (state != PoolState.RUNNING) {
      return new ProcessPoolException("the pool was terminated while starting");
    }
    return null;
  }

  /** The last start failure, unless a worker started since. */
  ProcessPoolException startFailure() {
    return startFailure;
  }

  /** How many workers the pool keeps. */
  int processes() {
    return processes;
  }

  /** How many workers became ready so far. */
  int workersReady() {
    return workersReady;
  }

  /** No worker left and nothing queued. */
  boolean drained() {
    return workers.isEmpty() && !hasQueuedWork();
  }

  /** The ids of the workers starting, running or exiting, in the order started. */
  List<Long> workerIds() {
    return List.copyOf(workers.keySet());
  }

  /** Jobs waiting for a worker (some may be cancelled and not yet dropped). */
  int queued() {
    return queue.size();
  }

  void checkRunning() {
    if (state != PoolState.RUNNING) {
      throw new IllegalStateException("Pool not running");
    }
  }

  // ---------------------------------------------------------------- rules

  /** After any event: the workers the state needs, the queued work handed out, the end noticed. */
  private List<PoolEffect> reconcile(List<PoolEffect> effects) {
    ensureWorkers(effects);
    assign(effects);
    if (!stoppedAccepting && state != PoolState.RUNNING && drained()) {
      stoppedAccepting = true;
      effects.add(new PoolEffect.StopAccepting());
    }
    return effects;
  }

  private void spawn(List<PoolEffect> effects) {
    Worker worker = new Worker(nextWorkerId++);
    workers.put(worker.id, worker);
    effects.add(new PoolEffect.StartWorker(worker.id));
  }

  private int liveWorkers() {
    int live = 0;
    for (Worker worker : workers.values()) {
      if (worker.state.live()) {
        live++;
      }
    }
    return live;
  }

  /** Drops finished (cancelled) jobs at the head; whether work is waiting. */
  private boolean hasQueuedWork() {
    while (!queue.isEmpty() && queue.peekFirst().finished) {
      queue.pollFirst();
    }
    return !queue.isEmpty();
  }

  /** Starts workers up to what the state needs. */
  private void ensureWorkers(List<PoolEffect> effects) {
    if (state == PoolState.TERMINATED) {
      return;
    }
    int live = liveWorkers();
    boolean work = hasQueuedWork();
    int wanted = state == PoolState.RUNNING || work ? processes : 0;
    if (startFailure != null && live < wanted) {
      // After a failed start: one new attempt at once if nobody is left to do queued work, else
      // one every few seconds (a passing failure must not shrink the pool for good).
      long now = nanoClock.getAsLong();
      if ((live == 0 && work) || now - nextStartAttempt >= 0) {
        nextStartAttempt = now + START_RETRY_NANOS;
        spawn(effects);
      }
      return;
    }
    for (int i = live; i < wanted; i++) {
      spawn(effects);
    }
  }

  private boolean reachedQuota(Worker worker, int more) {
    return maxTasksPerChild > 0 && worker.tasksDone + more >= maxTasksPerChild;
  }

  /**
   * Gives queued jobs to ready workers, idle ones first, then a second one each; once closed and
   * drained, tells idle workers to exit.
   */
  private void assign(List<PoolEffect> effects) {
    fill:
    for (int depth = 0; depth < MAX_IN_FLIGHT; depth++) {
      for (Worker worker : workers.values()) {
        if (worker.state != WorkerState.READY
            || worker.inFlight.size() != depth
            || reachedQuota(worker, depth)) {
          continue;
        }
        if (!hasQueuedWork()) {
          break fill;
        }
        Job job = queue.pollFirst();
        worker.inFlight.add(job);
        job.worker = worker;
        effects.add(new PoolEffect.SendTask(worker.id, job));
      }
    }
    if (state != PoolState.RUNNING && !hasQueuedWork()) {
      for (Worker worker : workers.values()) {
        if (worker.state == WorkerState.READY && worker.inFlight.isEmpty()) {
          worker.on(WorkerEvent.RETIRE);
          effects.add(new PoolEffect.SendExit(worker.id));
        }
      }
    }
  }

  /** Delivers a job's first outcome only. */
  private static void deliver(List<PoolEffect> effects, Job job, Object value, Throwable failure) {
    if (job.finished) {
      return;
    }
    job.finished = true;
    job.payload = null;
    effects.add(new PoolEffect.Deliver(job, value, failure));
  }
}
