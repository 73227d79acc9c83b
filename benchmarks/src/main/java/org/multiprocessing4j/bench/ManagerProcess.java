package org.multiprocessing4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The manager as its own JVM ({@code ManagerMain} with the JVM options {@code Manager.start()}
 * uses), so the benchmark can read its resident memory and CPU time from {@code /proc}. The authkey
 * goes through the environment, never the command line. {@link #launch} starts any other server the same way (the
 * Hazelcast member of {@link PeerBench}).
 */
final class ManagerProcess implements AutoCloseable {
  private static final String READY = "MP4J_MANAGER_LISTENING ";

  final Process process;
  final String target;

  private ManagerProcess(Process process, String target) {
    this.process = process;
    this.target = target;
  }

  /** Starts a manager on TCP loopback port 0, or on {@code unixSocket} when it is not null. */
  static ManagerProcess start(String authkey, Path unixSocket) throws IOException {
    List<String> command = new ArrayList<>(Jvm.command());
    // The collector and heap options Manager.start() gives its manager JVM (ChildManagerProcess).
    command.addAll(1, List.of("-XX:+UseSerialGC", "-Xms8m", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=20"));
    command.add("org.multiprocessing4j.server.ManagerMain");
    command.add("--authkey-env=BENCH_AUTHKEY");
    command.add("--exit-with-parent");
    command.add("--log-level=warn");
    if (unixSocket != null) {
      command.add("--unix-socket=" + unixSocket);
    } else {
      command.add("--port=0");
    }
    return launch(command, Map.of("BENCH_AUTHKEY", authkey), READY);
  }

  /**
   * Starts {@code command} with {@code environment} added and returns once it printed a line that
   * starts with {@code ready}: the rest of that line is its {@link #target}. Its other output goes
   * to this process's standard error. Its standard input stays open: a server that exits when it
   * closes goes with this process.
   */
  static ManagerProcess launch(List<String> command, Map<String, String> environment, String ready)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
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
    throw new IOException("the server exited before listening: " + "exit code " + waitForExit(process));
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

    /** utime + stime (fields 14 and 15 of /proc/pid/stat), at USER_HZ = 100. */
    static long cpuNanos(long pid) throws IOException {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name may hold spaces; the fields after its closing parenthesis do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * CLOCK_TICK_NANOS;
    }
  }
}
