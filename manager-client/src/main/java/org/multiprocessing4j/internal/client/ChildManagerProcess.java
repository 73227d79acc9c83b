package org.multiprocessing4j.internal.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.internal.launch.JvmLauncher;

/**
 * A manager in a child JVM, started with this JVM's Java and class path. It dies with its parent:
 * the child exits when its standard input closes, which the OS does when the parent exits for any
 * reason, {@code kill -9} included (Python's manager is orphaned instead). A shutdown hook stops it
 * on a normal exit too.
 */
final class ChildManagerProcess implements AutoCloseable {
  // Not ManagerMain: that one parses a person's command line with picocli, which costs a start
  // about 130 ms; this one takes the two or three arguments written below.
  static final String MAIN_CLASS = "org.multiprocessing4j.server.ChildManagerMain";

  /** The line the manager prints once it listens: this prefix, then its target. */
  static final String LISTENING_PREFIX = "MP4J_MANAGER_LISTENING ";

  private static final long START_TIMEOUT_SECONDS = 60;

  /** Managers started with the same class path and options share one class data archive. */
  static final String ARCHIVE_ROLE = "manager";

  private static final long ARCHIVING_EXIT_SECONDS = 30;

  private final Process process;
  private final String target;
  private final Thread shutdownHook;
  // It writes the class data archive as it exits: its exit takes longer than the usual 2 s.
  private final boolean recordsArchive;

  private ChildManagerProcess(Process process, String target, boolean recordsArchive) {
    this.process = process;
    this.target = target;
    this.recordsArchive = recordsArchive;
    this.shutdownHook = new Thread(process::destroy, "mp4j-manager-reaper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static ChildManagerProcess start(String bindTarget, String authkeyText, List<String> jvmOptions) {
    try {
      Class.forName(MAIN_CLASS, false, ChildManagerProcess.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "Manager.start() runs the manager in a child JVM and needs the multiprocessing4j-server"
              + " jar on the class path; add org.multiprocessing4j:multiprocessing4j-server",
          e);
    }
    List<String> options = new ArrayList<>(defaultJvmOptions(jvmOptions));
    options.addAll(jvmOptions);
    JvmLauncher launcher =
        JvmLauncher.mainClass(MAIN_CLASS)
            .classDataArchive(ARCHIVE_ROLE)
            .jvmOptions(options)
            .environment(Manager.ENV_AUTHKEY, authkeyText)
            .withoutEnvironment(Manager.ENV_AUTHKEY_FILE)
            .error(ProcessBuilder.Redirect.INHERIT);
    if (bindTarget.startsWith("unix://")) {
      launcher.arguments("unix", bindTarget.substring("unix://".length()));
    } else {
      int colon = bindTarget.lastIndexOf(':');
      launcher.arguments("tcp", bindTarget.substring(0, colon), bindTarget.substring(colon + 1));
    }
    JvmLauncher.Started started;
    try {
      started = launcher.start();
    } catch (IOException e) {
      throw new ManagerUnavailableException("cannot start the manager JVM: " + e.getMessage(), e);
    }
    Process process = started.process();
    CompletableFuture<String> listening = new CompletableFuture<>();
    Thread reader =
        new Thread(() -> pumpOutput(process, listening), "mp4j-manager-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    try {
      String target = listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new ChildManagerProcess(process, target, started.recordsArchive());
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new ManagerUnavailableException(
          "the manager JVM did not start"
              + (process.isAlive()
                  ? " within " + START_TIMEOUT_SECONDS + " s"
                  : " (exit code " + exitCode(process) + "; see its output above)"),
          e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ManagerUnavailableException("interrupted while starting the manager", e);
    }
  }

  /**
   * A manager's heap is mostly the shared data, and its work is short calls: the serial collector
   * with a heap that starts small and gives back what it no longer needs keeps the process about 30
   * MiB smaller than the default G1 with a heap sized from the machine's memory (a manager holding
   * a million integers: 90 MiB resident, not 120). The caller's options come after these and win;
   * naming a collector replaces ours.
   */
  static List<String> defaultJvmOptions(List<String> callerOptions) {
    List<String> defaults = new ArrayList<>();
    if (callerOptions.stream().noneMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"))) {
      defaults.add("-XX:+UseSerialGC");
    }
    if (callerOptions.stream()
        .noneMatch(o -> o.startsWith("-Xms") || o.startsWith("-XX:InitialHeapSize"))) {
      defaults.add("-Xms8m");
    }
    if (callerOptions.stream().noneMatch(o -> o.contains("HeapFreeRatio"))) {
      defaults.add("-XX:MinHeapFreeRatio=10");
      defaults.add("-XX:MaxHeapFreeRatio=20");
    }
    return defaults;
  }

  private static int exitCode(Process process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Finds the listening line, then forwards the manager's output to ours. */
  private static void pumpOutput(Process process, CompletableFuture<String> listening) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (!listening.isDone() && line.startsWith(LISTENING_PREFIX)) {
          listening.complete(line.substring(LISTENING_PREFIX.length()).trim());
        } else {
          System.out.println(line);
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
    listening.completeExceptionally(new IOException("the manager exited before it was ready"));
  }

  String target() {
    return target;
  }

  long pid() {
    return process.pid();
  }

  /** Waits briefly for the manager to exit (after a shutdown request), then stops it. */
  @Override
  public void close() {
    try {
      if (!process.waitFor(recordsArchive ? ARCHIVING_EXIT_SECONDS : 2, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
