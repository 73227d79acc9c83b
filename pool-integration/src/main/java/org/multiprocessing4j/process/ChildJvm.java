package org.multiprocessing4j.process;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.internal.launch.JvmLauncher;
import org.multiprocessing4j.pool.ChildJvmSupport;

/**
 * One started child JVM of a {@link JvmProcess}: its process, the threads that copy its output (if
 * it does not write to this JVM's standard output itself), and the file where it leaves its
 * target's exception. Thread-safe: the outcome is read once, under {@code this}.
 */
final class ChildJvm {
  /** The child JVMs of processes share one class data archive per class path and options. */
  static final String ARCHIVE_ROLE = "jvm-process";

  private static final String FAILURE_PREFIX = "mp4j-process-";
  private static final String FAILURE_SUFFIX = ".failure";
  // A JVM ended by a signal reports 128 + the signal's number.
  private static final int SIGNAL_BASE = 128;
  private static final int MAX_SIGNAL = 64;
  // How long join() waits for output after the exit: only a grandchild holding the child's stdout
  // open keeps it longer, and join() must not wait for that one.
  private static final Duration OUTPUT_AFTER_EXIT = Duration.ofSeconds(5);
  private static final AtomicBoolean STALE_FILES_REMOVED = new AtomicBoolean();

  private final Process process;
  private final boolean daemon;
  private final Path failureFile;
  private final List<Thread> pumps;
  // The daemon child's lifeline: open as long as this JVM lives (referenced so it is not closed
  // when collected).
  private final OutputStream lifeline;

  @GuardedBy("this")
  private boolean finished;

  @GuardedBy("this")
  private Throwable failure;

  private ChildJvm(
      Process process,
      boolean daemon,
      Path failureFile,
      List<Thread> pumps,
      OutputStream lifeline) {
    this.process = process;
    this.daemon = daemon;
    this.failureFile = failureFile;
    this.pumps = pumps;
    this.lifeline = lifeline;
  }

  static ChildJvm launch(
      String name,
      boolean daemon,
      List<String> jvmOptions,
      Map<String, String> environment,
      JvmProcess.Output output,
      byte[] target) {
    removeStaleFailureFiles();
    Path failureFile;
    try {
      // Created readable by this user only: the parent deserializes what the child writes there.
      failureFile =
          Files.createTempFile(
              FAILURE_PREFIX + ProcessHandle.current().pid() + "-", FAILURE_SUFFIX);
    } catch (IOException e) {
      throw new JvmProcessException("cannot create a temporary file for " + name + ": " + e, e);
    }
    JvmLauncher launcher =
        JvmLauncher.mainClass(ProcessMain.class)
            .classDataArchive(ARCHIVE_ROLE)
            .jvmOptions(ChildJvmSupport.startupOptions(jvmOptions))
            .jvmOptions(jvmOptions)
            .arguments(name, Boolean.toString(daemon), failureFile.toString())
            .environment(environment);
    if (output == JvmProcess.Output.INHERIT) {
      launcher.output(ProcessBuilder.Redirect.INHERIT).error(ProcessBuilder.Redirect.INHERIT);
    }
    Process process;
    try {
      process = launcher.start().process();
    } catch (IOException | RuntimeException e) {
      deleteQuietly(failureFile);
      throw new JvmProcessException("cannot start the JVM of " + name + ": " + e.getMessage(), e);
    }
    List<Thread> pumps =
        output == JvmProcess.Output.INHERIT
            ? List.of()
            : List.of(
                ChildJvmSupport.copyLines(
                    process.getInputStream(),
                    () -> System.out,
                    "mp4j-process-out-" + process.pid()),
                ChildJvmSupport.copyLines(
                    process.getErrorStream(),
                    () -> System.err,
                    "mp4j-process-err-" + process.pid()));
    OutputStream stdin = process.getOutputStream();
    try {
      DataOutputStream out = new DataOutputStream(stdin);
      out.writeInt(target.length);
      out.write(target);
      out.flush();
      if (!daemon) {
        stdin.close(); // only a daemon child watches it
      }
    } catch (IOException e) {
      // The JVM died before reading its target (bad options, no memory): its output says why.
      process.destroyForcibly();
      deleteQuietly(failureFile);
      throw new JvmProcessException(
          "the JVM of "
              + name
              + " (pid "
              + process.pid()
              + ") exited before it could be given"
              + " its target; see its output above",
          e);
    }
    ChildJvm child = new ChildJvm(process, daemon, failureFile, pumps, daemon ? stdin : null);
    ExitHook.register(child);
    return child;
  }

  long pid() {
    return process.pid();
  }

  boolean isDaemon() {
    return daemon;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  OptionalInt exitCode() {
    if (process.isAlive()) {
      return OptionalInt.empty();
    }
    int code = process.exitValue();
    return OptionalInt.of(
        code > SIGNAL_BASE && code <= SIGNAL_BASE + MAX_SIGNAL ? SIGNAL_BASE - code : code);
  }

  Optional<Throwable> failure() {
    if (process.isAlive()) {
      return Optional.empty();
    }
    finish();
    synchronized (this) {
      return Optional.ofNullable(failure);
    }
  }

  void awaitExit() throws InterruptedException {
    process.waitFor();
    finish();
  }

  boolean awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    finish();
    return true;
  }

  void terminate() {
    process.destroy(); // SIGTERM on Unix
  }

  void kill() {
    process.destroyForcibly(); // SIGKILL on Unix
  }

  /**
   * After the exit: waits for the rest of the output, reads the target's exception, removes the
   * file. Once; later calls return at once.
   */
  private synchronized void finish() {
    if (finished) {
      return;
    }
    finished = true;
    ExitHook.unregister(this);
    long deadline = System.nanoTime() + OUTPUT_AFTER_EXIT.toNanos();
    boolean interrupted = false;
    for (Thread pump : pumps) {
      while (pump.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          pump.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          interrupted = true; // the output is short; the interrupt is kept for the caller
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    failure = readFailure();
    deleteQuietly(failureFile);
  }

  private Throwable readFailure() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(failureFile);
    } catch (IOException e) {
      return null;
    }
    if (bytes.length == 0) {
      return null;
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    ClassLoader loader = context != null ? context : ChildJvm.class.getClassLoader();
    try {
      return ChildJvmSupport.decodeFailure(bytes, loader);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      return new JvmProcessException(
          "the target failed in pid "
              + process.pid()
              + ", and its exception could not be read: "
              + e,
          e);
    }
  }

  /** At this JVM's exit: a daemon child is terminated, a non-daemon one waited for. */
  void atParentExit() {
    if (daemon) {
      process.destroy();
      closeLifeline();
      deleteQuietly(failureFile);
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        process.waitFor();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    finish();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeLifeline() {
    try {
      lifeline.close();
    } catch (IOException e) {
      // the child exits either way
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a temporary file
    }
  }

  /** Removes failure files of parents that were killed (named after their pid). Best effort. */
  private static void removeStaleFailureFiles() {
    if (!STALE_FILES_REMOVED.compareAndSet(false, true)) {
      return;
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(tmp, FAILURE_PREFIX + "*" + FAILURE_SUFFIX)) {
      for (Path file : files) {
        String rest = file.getFileName().toString().substring(FAILURE_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
          if (dash > 0 && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty()) {
            deleteQuietly(file);
          }
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  @Override
  public String toString() {
    return "child JVM pid " + process.pid();
  }
}
