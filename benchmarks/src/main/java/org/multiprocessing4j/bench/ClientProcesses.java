package org.multiprocessing4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Both sides of the multi-process workloads (Python's {@code run_procs} and {@code _worker}).
 *
 * <p>A worker ({@link BenchWorker}, {@link PeerWorker}) connects and warms up, prints {@code
 * READY}, waits for {@code GO} on standard input, runs its loop and prints {@code DONE start end
 * cpu}: {@link System#nanoTime()} stamps (CLOCK_MONOTONIC, comparable across processes on Linux)
 * and the process's CPU nanoseconds spent in the loop. The parent starts every worker, waits until
 * all are ready, releases them together and times from the first start to the last end.
 */
final class ClientProcesses {
  private ClientProcesses() {}

  /** A worker's loop. */
  interface Loop {
    void run() throws Exception;
  }

  /** The CPU nanoseconds the server process has used so far. */
  interface ServerCpu {
    long nanos() throws IOException;
  }

  /** One worker to start: its main class and arguments, and how many operations it runs. */
  static final class Client {
    final List<String> arguments;
    final int ops;

    Client(List<String> arguments, int ops) {
      this.arguments = List.copyOf(arguments);
      this.ops = ops;
    }
  }

  /** The worker side, once connected and warm. */
  static void serve(Loop loop) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("READY");
    System.out.flush();
    if (!"GO".equals(in.readLine())) {
      return;
    }
    long cpu0 = cpuNanos();
    long t0 = System.nanoTime();
    loop.run();
    long t1 = System.nanoTime();
    long cpu1 = cpuNanos();
    System.out.println("DONE " + t0 + " " + t1 + " " + (cpu1 - cpu0));
    System.out.flush();
  }

  /**
   * The parent side: one JVM per client with {@code environment} added to its own, and the
   * seconds from the first start to the last end. Keeps in {@code cpu} the lowest CPU time per
   * operation seen so far of the clients together ({@code client_cpu_us_per_op}) and of the server
   * ({@code manager_cpu_us_per_op}, whichever server that is).
   */
  static double run(
      List<Client> clients, Map<String, String> environment, ServerCpu server,
      Map<String, Object> cpu) throws Exception {
    List<Process> workers = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    try {
      for (Client client : clients) {
        List<String> command = new ArrayList<>(Jvm.command());
        command.addAll(client.arguments);
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process process = builder.start();
        workers.add(process);
        outputs.add(
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
      }
      for (BufferedReader out : outputs) {
        Measurements.check("READY".equals(out.readLine()), "a worker failed to start");
      }
      long serverCpu0 = server.nanos();
      for (Process worker : workers) {
        Writer in = new OutputStreamWriter(worker.getOutputStream(), StandardCharsets.UTF_8);
        in.write("GO\n");
        in.flush();
      }
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      long clientCpu = 0;
      int ops = 0;
      for (int i = 0; i < workers.size(); i++) {
        String line = outputs.get(i).readLine();
        Measurements.check(line != null && line.startsWith("DONE "), "a worker failed: " + line);
        String[] parts = line.split(" ", -1);
        first = Math.min(first, Long.parseLong(parts[1]));
        last = Math.max(last, Long.parseLong(parts[2]));
        clientCpu += Long.parseLong(parts[3]);
        ops += clients.get(i).ops;
      }
      long serverCpu = server.nanos() - serverCpu0;
      for (Process worker : workers) {
        worker.getOutputStream().close();
        Measurements.check(worker.waitFor() == 0, "a worker exited with an error");
      }
      cpu.merge("client_cpu_us_per_op", clientCpu / 1e3 / ops, ClientProcesses::lower);
      cpu.merge("manager_cpu_us_per_op", serverCpu / 1e3 / ops, ClientProcesses::lower);
      return (last - first) / 1e9;
    } finally {
      // A failed run leaves no worker behind (one blocked in take() would never exit).
      workers.forEach(Process::destroy);
    }
  }

  private static Object lower(Object a, Object b) {
    return Math.min((Double) a, (Double) b);
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
