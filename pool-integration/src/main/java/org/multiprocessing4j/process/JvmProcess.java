package org.multiprocessing4j.process;

import static java.util.Objects.requireNonNull;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.pool.ChildJvmSupport;

/**
 * Python's {@code multiprocessing.Process}: a {@link ProcessTarget} (a serializable lambda that
 * captures proxies and plain values) runs in a fresh JVM, started with this JVM's {@code java},
 * class path and the options given.
 *
 * <pre>{@code
 * try (Manager m = Manager.start()) {
 *   SharedQueue<Integer> queue = m.queue();
 *   JvmProcess p1 = JvmProcess.of(m, () -> producer(queue));   // Process(target=producer, args=(queue,))
 *   p1.start();
 *   p1.join();
 *   System.out.println(p1.exitCode());                          // OptionalInt[0]
 * }
 * }</pre>
 *
 * <p><b>Shared objects.</b> Proxies captured by the target travel as references and reconnect in
 * the child through the environment of the manager given with {@link #of(Manager, ProcessTarget)}
 * or {@link Builder#manager(Manager)}; nothing else is needed in the target. A target that captures
 * proxies without a manager fails at {@link #start()} (unless this JVM's own environment names the
 * manager's key, as in a process started by another). Locks the child holds are released by the
 * manager when the child exits or is killed.
 *
 * <p><b>Exit codes</b> ({@link #exitCode()}), as Python's {@code exitcode}: empty until the child
 * has exited; 0 when the target returned; 1 when it threw (the child prints {@code Process <name>:}
 * and the stack trace on its standard error, as Python does, and {@link #failure()} gives the
 * exception itself: the same type, message and stack trace); the code given to {@code System.exit};
 * minus the signal number when a signal ended it ({@link #terminate()}: -15, {@link #kill()}: -9).
 * A JVM reports a signal as the exit code 128 + signal, so codes 129 to 192 given to {@code
 * System.exit} read as signals too.
 *
 * <p>The child exits when the target returns, like Python's child after its target: threads the
 * target started do not keep it alive, non-daemon or not.
 *
 * <p><b>Output</b> ({@link Output}). By default the child writes to this JVM's standard output and
 * error themselves, as Python's children print to the same terminal: lines of different processes
 * come in the order they were written, and a child that outlives this JVM keeps printing. Each line
 * the child prints (up to 8 KiB) is one write, so lines of different children do not interleave.
 * Where this JVM's {@code System.out} is not its standard output (a test runner, a logger that
 * captures it), {@link Output#SYSTEM_STREAMS} copies the child's lines to {@code System.out} and
 * {@code System.err} instead, and {@link #join()} returns once all of them were copied. The child's
 * standard input is empty.
 *
 * <p><b>Daemon or not</b>, as in Python. A non-daemon child (the default) is waited for when this
 * JVM exits: a shutdown hook joins every non-daemon child that is still running, so a {@code main}
 * that starts processes and returns without {@code join()} ends when they do, as in Python. A
 * daemon child ({@link Builder#daemon(boolean)}) never outlives this JVM, however it ends, even by
 * {@code kill -9}: it watches a pipe from this JVM and exits when the pipe closes. A non-daemon
 * child of a JVM killed by a signal keeps running, as in Python.
 *
 * <p><b>Start-up.</b> Children share a class data archive (see the README: the first child records
 * the classes it loaded, later ones map them) and the options that make the pool's workers start
 * sooner; options given with {@link Builder#jvmOptions} come after them.
 *
 * <p>Thread-safe: any thread may start, join, query, terminate or kill a process. A process starts
 * once.
 */
public final class JvmProcess {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final ProcessTarget target; // kept: its proxies keep their objects alive for the child
  private final String name;
  private final boolean daemon;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private final Output output;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private ChildJvm child; // null until started

  private JvmProcess(Builder builder) {
    this.target = requireNonNull(builder.target, "target");
    this.name = builder.name != null ? builder.name : "JvmProcess-" + NAMES.incrementAndGet();
    this.daemon = builder.daemon;
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    this.output = builder.output;
    this.environment =
        builder.manager == null ? Map.of() : Map.copyOf(builder.manager.childEnvironment());
  }

  /** A process (not started) that runs {@code target} and uses no shared objects. */
  public static JvmProcess of(ProcessTarget target) {
    return builder().target(target).build();
  }

  /** A process (not started) that runs {@code target}, whose proxies belong to {@code manager}. */
  public static JvmProcess of(Manager manager, ProcessTarget target) {
    return builder().target(target).manager(manager).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the child JVM (Python's {@code start()}). The target is serialized first: one that
   * cannot be (or that captures proxies without a manager) fails here with {@link
   * JvmProcessException} and no JVM is started.
   *
   * @return this process
   * @throws IllegalStateException if it was started before
   * @throws JvmProcessException if the target cannot be sent or the JVM cannot be launched
   */
  public JvmProcess start() {
    synchronized (lock) {
      if (child != null) {
        throw new IllegalStateException(name + " was already started; a process starts once");
      }
      child = ChildJvm.launch(name, daemon, jvmOptions, environment, output, serializedTarget());
    }
    return this;
  }

  private byte[] serializedTarget() {
    ChildJvmSupport.Serialized serialized;
    try {
      serialized = ChildJvmSupport.serialize(target);
    } catch (IOException | RuntimeException e) {
      throw new JvmProcessException(
          "the target of " + name + " cannot be serialized (everything it captures must be): " + e,
          e);
    }
    if (serialized.referencesSharedObjects()
        && environment.isEmpty()
        && System.getenv(Manager.ENV_AUTHKEY) == null
        && System.getenv(Manager.ENV_AUTHKEY_FILE) == null) {
      throw new JvmProcessException(
          "the target of "
              + name
              + " uses shared objects, but the process has no manager to reconnect them with:"
              + " create it with JvmProcess.of(manager, target) or builder().manager(manager)");
    }
    return serialized.bytes();
  }

  /**
   * Waits until the child has exited and its output was copied (Python's {@code join()}).
   *
   * @throws IllegalStateException if it was not started
   * @throws InterruptedException if interrupted while waiting (the child keeps running)
   */
  public void join() throws InterruptedException {
    started().awaitExit();
  }

  /**
   * Waits at most {@code timeout} for the child to exit (Python's {@code join(timeout)}): never
   * throws for a child that runs on.
   *
   * @return whether it has exited
   * @throws IllegalStateException if it was not started
   * @throws InterruptedException if interrupted while waiting (the child keeps running)
   */
  public boolean join(Duration timeout) throws InterruptedException {
    return started().awaitExit(requireNonNull(timeout, "timeout"));
  }

  /** Whether it was started and has not exited yet (Python's {@code is_alive()}). */
  public boolean isAlive() {
    ChildJvm current = current();
    return current != null && current.isAlive();
  }

  /**
   * Python's {@code exitcode}: empty before the start and while running; see the class comment for
   * the values.
   */
  public OptionalInt exitCode() {
    ChildJvm current = current();
    return current == null ? OptionalInt.empty() : current.exitCode();
  }

  /**
   * The exception the target threw in the child (same type, message and stack trace as there), or
   * what kept the child from running it; empty while it runs, after a normal return, or when it
   * ended otherwise ({@code System.exit}, a signal).
   */
  public Optional<Throwable> failure() {
    ChildJvm current = current();
    return current == null ? Optional.empty() : current.failure();
  }

  /** Sends SIGTERM (Python's {@code terminate()}): the child runs its shutdown hooks and exits. */
  public void terminate() {
    started().terminate();
  }

  /** Sends SIGKILL (Python's {@code kill()}): the child ends at once. */
  public void kill() {
    started().kill();
  }

  /** The child's process id; empty before the start (Python's {@code pid}). */
  public OptionalLong pid() {
    ChildJvm current = current();
    return current == null ? OptionalLong.empty() : OptionalLong.of(current.pid());
  }

  /** The name given, or {@code JvmProcess-<n>} (Python's {@code name}). */
  public String name() {
    return name;
  }

  /** Python's {@code daemon}: whether the child dies with this JVM. */
  public boolean isDaemon() {
    return daemon;
  }

  private ChildJvm current() {
    synchronized (lock) {
      return child;
    }
  }

  private ChildJvm started() {
    ChildJvm current = current();
    if (current == null) {
      throw new IllegalStateException(name + " was not started");
    }
    return current;
  }

  /** Like Python's repr: {@code JvmProcess[name=..., pid=..., started|stopped exitcode=...]}. */
  @Override
  public String toString() {
    ChildJvm current = current();
    StringBuilder text = new StringBuilder("JvmProcess[name=").append(name);
    if (current == null) {
      text.append(", initial");
    } else {
      text.append(", pid=").append(current.pid());
      OptionalInt code = current.exitCode();
      text.append(code.isPresent() ? ", stopped exitcode=" + code.getAsInt() : ", started");
    }
    return text.append(daemon ? ", daemon]" : "]").toString();
  }

  /** Where the child's standard output and error go. */
  public enum Output {
    /**
     * The child writes to this JVM's standard output and error (file descriptors 1 and 2), as
     * Python's children do; the default.
     */
    INHERIT,
    /**
     * The child's output is copied to this JVM's {@code System.out} and {@code System.err}, a whole
     * line at a time, by a thread of this JVM: for a JVM whose {@code System.out} is not its
     * standard output. Lines of different children reach it in the order they were copied, which
     * can differ from the order they were written.
     */
    SYSTEM_STREAMS
  }

  /** Options of a {@link JvmProcess}. Not thread-safe: build on one thread. */
  public static final class Builder {
    private ProcessTarget target;
    private Manager manager;
    private String name;
    private boolean daemon;
    private Output output = Output.INHERIT;
    private final List<String> jvmOptions = new ArrayList<>();

    private Builder() {}

    /** What the child runs (required). */
    public Builder target(ProcessTarget target) {
      this.target = requireNonNull(target, "target");
      return this;
    }

    /** The manager whose shared objects the target uses: the child gets its environment. */
    public Builder manager(Manager manager) {
      this.manager = requireNonNull(manager, "manager");
      return this;
    }

    /** The process's name (default {@code JvmProcess-<n>}). */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** Whether the child dies with this JVM (default false: this JVM waits for it at exit). */
    public Builder daemon(boolean daemon) {
      this.daemon = daemon;
      return this;
    }

    /** Where the child's output goes (default {@link Output#INHERIT}). */
    public Builder output(Output output) {
      this.output = requireNonNull(output, "output");
      return this;
    }

    /** Extra options for the child JVM, e.g. {@code -Xmx256m}. */
    public Builder jvmOptions(String... options) {
      for (String option : Arrays.asList(options)) {
        jvmOptions.add(requireNonNull(option, "option"));
      }
      return this;
    }

    /** The process, not started. */
    public JvmProcess build() {
      if (target == null) {
        throw new IllegalStateException("no target: call target(...) first");
      }
      return new JvmProcess(this);
    }
  }
}
