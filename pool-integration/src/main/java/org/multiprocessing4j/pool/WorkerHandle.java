package org.multiprocessing4j.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.launch.JvmLauncher;

/**
 * One worker JVM: its process, its connection, and the thread that starts it and then reads its
 * frames, reporting each step to its pool as {@link Reports}.
 *
 * <p>Thread safety: its scheduling state is the {@link PoolScheduler}'s; {@link #ticketsIssued} is
 * guarded by the pool's lock, {@link #ticketsSent} by {@link #sendOrder}, {@link #process} and
 * {@link #killed} by {@link #processLock}; the connection is written under its stream's monitor and
 * read only by the worker's own thread; the rest is final or volatile.
 */
final class WorkerHandle implements Runnable {
  private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());
  private static final byte[] EMPTY = new byte[0];

  /** Workers share one class data archive per class path and options. */
  static final String ARCHIVE_ROLE = "pool-worker";

  // How long a worker that writes the class data archive may take to exit (it writes while it
  // exits: tens to hundreds of milliseconds); others are killed after 5 seconds.
  private static final long ARCHIVING_EXIT_SECONDS = 30;

  /** What a worker tells its pool, from its own thread (each report is an event). */
  interface Reports {
    /** Connected and ran the initializer: takes tasks. */
    void ready(WorkerHandle worker);

    /** Its JVM did not start or connect in time, or the initializer failed; the JVM is gone. */
    void startFailed(WorkerHandle worker, ProcessPoolException failure);

    /** Whether the pool still waits for the outcome of the job this worker answers now. */
    boolean wantsAnswer(WorkerHandle worker, long jobId);

    /** It answered the first of its jobs in flight. */
    void answered(WorkerHandle worker, PoolScheduler.Answer answer);

    /** Its connection ended and its JVM exited. */
    void exited(WorkerHandle worker, int exitCode);
  }

  /** Makes the handle of a worker the scheduler decided to start. */
  interface Factory {
    WorkerHandle create(long id, Reports reports);
  }

  /**
   * What a pool gives each of its workers: how to start it, where it connects, how to read its
   * answers, and whom it reports to.
   */
  record Pool(
      WorkerSpec spec, ConnectionAcceptor acceptor, AnswerReader answers, Reports reports) {}

  final long id;
  private final WorkerSpec spec;
  private final ConnectionAcceptor acceptor;
  private final AnswerReader answers;
  private final Reports reports;
  private long ticketsIssued; // guarded by the pool's lock
  private final Object sendOrder = new Object();

  @GuardedBy("sendOrder")
  private long ticketsSent;

  private final Object processLock = new Object();

  @GuardedBy("processLock")
  private Process process;

  @GuardedBy("processLock")
  private boolean killed;

  private volatile PoolSocket.Connection connection;
  private volatile DataOutputStream out;
  // This worker writes the class data archive while it exits: it is left to exit by itself.
  private volatile boolean recordsArchive;

  WorkerHandle(long id, Pool pool) {
    this.id = id;
    spec = pool.spec();
    acceptor = pool.acceptor();
    answers = pool.answers();
    reports = pool.reports();
  }

  /** The worker's process id, or -1 before its JVM started. */
  long pid() {
    synchronized (processLock) {
      return process == null ? -1 : process.pid();
    }
  }

  @Override
  public void run() {
    DataInputStream in;
    try {
      in = start();
    } catch (RuntimeException | Error e) {
      acceptor.forget(id);
      kill();
      ProcessPoolException failure =
          e instanceof ProcessPoolException processPoolException
              ? processPoolException
              : new ProcessPoolException("starting a worker failed: " + e, e);
      awaitExit(); // the pool may count it gone only once it is
      reports.startFailed(this, failure);
      return;
    }
    reports.ready(this);
    try {
      while (true) {
        onFrame(Wire.read(in));
      }
    } catch (IOException e) {
      // end of stream: the worker exited, was killed, or its connection broke
    }
    closeSocket();
    reports.exited(this, awaitExit());
  }

  /** A frame from the worker, on its own thread. */
  private void onFrame(Wire.Frame frame) {
    if (frame.kind == FrameKind.BYE) {
      // Told to exit and idle: ending it now is faster than its own exit, unless it writes the
      // class data archive as it exits (then its exit is awaited as usual).
      if (!recordsArchive) {
        kill();
      }
    } else if (frame.kind.answersTask()) {
      // Read outside the pool's lock, and only if somebody still wants it.
      PoolScheduler.Answer answer = answers.answer(frame, reports.wantsAnswer(this, frame.id));
      if (frame.kind == FrameKind.RESULT_HOLDING) {
        // Read (or unwanted): this JVM holds its own references now, the worker may drop its.
        try {
          sendUnordered(FrameKind.RELEASE, frame.id, EMPTY);
        } catch (IOException e) {
          // the worker is gone, and its references with it
        }
      }
      reports.answered(this, answer);
    } else {
      LOG.log(System.Logger.Level.ERROR, this + " sent an unexpected frame kind " + frame.kind);
      kill();
    }
  }

  // the exit stage only fails the pending connection
  @SuppressWarnings("FutureReturnValueIgnored")
  private DataInputStream start() {
    CompletableFuture<PoolSocket.Connection> connection = acceptor.expect(id);
    Process started;
    try {
      started = launch();
    } catch (IOException e) {
      throw new ProcessPoolException("cannot start a worker JVM: " + e.getMessage(), e);
    }
    // A JVM that dies before connecting (bad options, no memory) must not make us wait.
    started.onExit().thenRun(() -> connection.completeExceptionally(new IOException("exited")));
    PoolSocket.Connection accepted;
    try {
      accepted = connection.get(spec.startTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw exited(started, "before connecting", e.getCause());
    } catch (TimeoutException e) {
      throw new ProcessPoolException(
          "worker JVM pid " + started.pid() + " did not connect within " + spec.startTimeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcessPoolException("interrupted while starting a worker", e);
    }
    this.connection = accepted;
    try {
      out = new DataOutputStream(new BufferedOutputStream(accepted.out, 64 * 1024));
      sendUnordered(FrameKind.INIT, 0, spec.initializer);
      Wire.Frame reply = Wire.read(accepted.in);
      if (reply.kind == FrameKind.INIT_FAILED) {
        Throwable cause = answers.failure(reply.payload);
        throw new ProcessPoolException(
            "the initializer failed in worker pid " + started.pid() + ": " + cause, cause);
      }
      if (reply.kind != FrameKind.READY) {
        throw new ProcessPoolException(
            "worker pid " + started.pid() + " broke the protocol (frame kind " + reply.kind + ")");
      }
    } catch (IOException e) {
      throw exited(started, "while starting", e);
    }
    return accepted.in;
  }

  private Process launch() throws IOException {
    JvmLauncher launcher =
        JvmLauncher.mainClass(WorkerMain.class)
            .classDataArchive(ARCHIVE_ROLE)
            .jvmOptions(spec.jvmOptions)
            .arguments(acceptor.address(), Long.toString(id))
            .environment(spec.environment)
            .environment(Wire.ENV_TOKEN, HexFormat.of().formatHex(acceptor.token()));
    // stdin stays a pipe from this JVM that nobody writes: its end is the worker's signal to exit.
    synchronized (processLock) {
      if (killed) {
        throw new IOException("the pool was terminated");
      }
      JvmLauncher.Started started = launcher.start();
      process = started.process();
      recordsArchive = started.recordsArchive();
      OutputPump.start(
          process.getInputStream(), () -> System.out, "mp4j-pool-out-" + process.pid());
      OutputPump.start(
          process.getErrorStream(), () -> System.err, "mp4j-pool-err-" + process.pid());
      return process;
    }
  }

  /** The next send ticket; under the pool's lock, so tickets follow the lock's decisions. */
  long nextTicketLocked() {
    return ticketsIssued++;
  }

  /**
   * Sends one frame when every frame ticketed before it was sent: the worker then receives tasks in
   * the order the pool assigned them. Callers handle the {@link IOException} of a broken
   * connection; the ticket is used up either way.
   */
  void sendInOrder(long ticket, FrameKind kind, long frameId, byte[] payload) throws IOException {
    synchronized (sendOrder) {
      try {
        while (ticketsSent != ticket) {
          sendOrder.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting to send to " + this, e);
      }
      try {
        sendUnordered(kind, frameId, payload);
      } finally {
        ticketsSent++;
        sendOrder.notifyAll();
      }
    }
  }

  /** Sends one frame now (its order relative to others does not matter). */
  void sendUnordered(FrameKind kind, long frameId, byte[] payload) throws IOException {
    DataOutputStream stream = out;
    if (stream == null) {
      throw new IOException("worker " + id + " is not connected");
    }
    synchronized (stream) {
      Wire.write(stream, kind, frameId, payload);
    }
  }

  /** Kills the worker's JVM (if started) and closes its connection. Idempotent. */
  void kill() {
    synchronized (processLock) {
      killed = true;
      if (process != null) {
        process.destroyForcibly();
      }
    }
    closeSocket();
  }

  private void closeSocket() {
    PoolSocket.Connection c = connection;
    if (c != null) {
      c.close();
    }
  }

  /** Waits for the JVM to exit (killing it if it lingers) and returns its exit code, or -1. */
  int awaitExit() {
    Process p;
    synchronized (processLock) {
      p = process;
    }
    if (p == null) {
      return -1;
    }
    try {
      if (!p.waitFor(recordsArchive ? ARCHIVING_EXIT_SECONDS : 5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          return -1;
        }
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return -1;
    }
  }

  /** The worker's JVM exited {@code when} it started: how (if it exits soon), and where to look. */
  private static ProcessPoolException exited(Process p, String when, Throwable cause) {
    String how = "";
    try {
      if (p.waitFor(2, TimeUnit.SECONDS)) {
        how = " (" + describeExit(p.exitValue()) + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new ProcessPoolException(
        "worker JVM pid " + p.pid() + " exited " + when + how + "; see its output above", cause);
  }

  static String describeExit(int code) {
    if (code > 128 && code < 160) {
      int signal = code - 128;
      return "exit code "
          + code
          + ", killed by signal "
          + signal
          + (signal == 9 ? " (SIGKILL)" : signal == 15 ? " (SIGTERM)" : "");
    }
    return code < 0 ? "exit code unknown" : "exit code " + code;
  }

  @Override
  public String toString() {
    return "worker " + id + " (pid " + pid() + ")";
  }
}
