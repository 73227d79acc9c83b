package org.multiprocessing4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.launch.JvmLauncher;

/**
 * The manager as its own JVM ({@code ManagerMain} with the JVM options {@code Manager.start()}
 * uses), so the benchmark can read its resident memory and CPU time from {@code /proc}. The authkey
 * goes through the environment, never the command line. {@link #launch} starts any other server the
 * same way (the Hazelcast member of {@link PeerBench}).
 */
final class ManagerProcess implements AutoCloseable {
  private static final String READY = "MP4J_MANAGER_LISTENING ";
  // -Dmp4j.bench.managerEventLoopThreads=N: the manager's --event-loop-threads (its default if
  // unset).
  private static final String EVENT_LOOP_THREADS_PROPERTY = "mp4j.bench.managerEventLoopThreads";

  final Process process;
  final String target;

  private ManagerProcess(Process process, String target) {
    this.process = process;
    this.target = target;
  }

  /** Starts a manager on TCP loopback port 0, or on {@code unixSocket} when it is not null. */
  static ManagerProcess start(String authkey, Path unixSocket) throws IOException {
    return start(authkey, unixSocket, new String[0]);
  }

  /**
   * As {@link #start(String, Path)}, with {@code moreArguments} for the manager (say, its TLS
   * certificate and key).
   */
  static ManagerProcess start(String authkey, Path unixSocket, String... moreArguments)
      throws IOException {
    JvmLauncher launcher =
        Jvm.launcher("org.multiprocessing4j.server.ManagerMain")
            // The collector and heap options Manager.start() gives its manager JVM
            // (ChildManagerProcess).
            .jvmOptions(
                "-XX:+UseSerialGC", "-Xms8m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20")
            .arguments(
                "--authkey-env=BENCH_AUTHKEY",
                "--exit-with-parent",
                "--log-level=warn",
                unixSocket != null ? "--unix-socket=" + unixSocket : "--port=0")
            // The manager's network threads, to compare counts (docs/benchmarks.md).
            .arguments(
                System.getProperty(EVENT_LOOP_THREADS_PROPERTY) == null
                    ? List.of()
                    : List.of(
                        "--event-loop-threads=" + System.getProperty(EVENT_LOOP_THREADS_PROPERTY)))
            .arguments(moreArguments)
            .environment("BENCH_AUTHKEY", authkey);
    return launch(launcher, READY);
  }

  /**
   * Starts the JVM {@code launcher} describes and returns once it printed a line that starts with
   * {@code ready}: the rest of that line is its {@link #target}. Its other output goes to this
   * process's standard error. Its standard input stays open: a server that exits when it closes
   * goes with this process.
   */
  static ManagerProcess launch(JvmLauncher launcher, String ready) throws IOException {
    Process process =
        launcher.errorToOutput().input(ProcessBuilder.Redirect.PIPE).start().process();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(ready)) {
        Thread drain = new Thread(() -> copyLines(out), "server-output");
        drain.setDaemon(true);
        drain.start();
        return new ManagerProcess(process, line.substring(ready.length()).trim());
      }
      System.err.println(line);
    }
    throw new IOException(
        "the server exited before listening: " + "exit code " + waitForExit(process));
  }

  private static void copyLines(BufferedReader out) {
    try {
      String line;
      while ((line = out.readLine()) != null) {
        System.err.println(line);
      }
    } catch (IOException e) {
      // close() destroys the process, which closes this stream under a server still logging.
    }
  }

  private static int waitForExit(Process process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size in bytes (VmRSS). */
  long residentBytes() throws IOException {
    return Proc.residentBytes(process.pid());
  }

  /** User plus system CPU time of the whole manager process, in nanoseconds. */
  long cpuNanos() throws IOException {
    return Proc.cpuNanos(process.pid());
  }

  @Override
  public void close() {
    stop(process);
  }

  /** Asks a child process to end, and kills it if it has not within 10 s. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Linux {@code /proc} readings; the benchmark only runs on Linux. */
  static final class Proc {
    private static final long CLOCK_TICK_NANOS = TimeUnit.SECONDS.toNanos(1) / 100;

    private Proc() {}

    static long residentBytes(long pid) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      throw new IOException("no VmRSS for pid " + pid);
    }

    /**
     * Whether {@code pid}'s command line has the argument {@code argument}; read from {@code
     * /proc/<pid>/cmdline}, since {@link ProcessHandle.Info} keeps only its first 4096 bytes and a
     * long class path pushes the main class past them. False for a process that is gone.
     */
    static boolean runs(long pid, String argument) {
      try {
        String line =
            new String(
                Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                StandardCharsets.UTF_8);
        return java.util.Arrays.asList(line.split("\0")).contains(argument);
      } catch (IOException e) {
        return false;
      }
    }

    /** utime + stime (fields 14 and 15 of /proc/pid/stat), at USER_HZ = 100. */
    static long cpuNanos(long pid) throws IOException {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may hold spaces; the fields after its closing parenthesis do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * CLOCK_TICK_NANOS;
    }
  }
}
