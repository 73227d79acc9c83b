package org.multiprocessing4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
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
    final String mainClass;
    final List<String> arguments;
    final int ops;

    Client(String mainClass, List<String> arguments, int ops) {
      this.mainClass = mainClass;
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
    // Idle until the parent has read this JVM's thread CPU and closes our input.
    while (in.readLine() != null) {
      // nothing more is sent
    }
  }

  /**
   * The parent side: one JVM per client with {@code environment} added to its own, and the seconds
   * from the first start to the last end. Keeps in {@code cpu} the lowest CPU time per operation
   * seen so far of the clients together ({@code client_cpu_us_per_op}) and of the server ({@code
   * manager_cpu_us_per_op}, whichever server that is), and, from the run with the lowest client
   * CPU, the clients' CPU by kind of thread ({@code client_<kind>_cpu_us_per_op}, {@link
   * ThreadCpu}) read from {@code /proc} once all are ready and once each is done. Clients start
   * with {@link Jvm#workerLauncher}'s options.
   */
  static double run(
      List<Client> clients,
      Map<String, String> environment,
      ServerCpu server,
      Map<String, Object> cpu)
      throws Exception {
    List<Process> workers = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    try {
      for (Client client : clients) {
        Process process =
            Jvm.workerLauncher(client.mainClass)
                .arguments(client.arguments)
                .environment(environment)
                .error(ProcessBuilder.Redirect.INHERIT)
                .start()
                .process();
        workers.add(process);
        outputs.add(
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
      }
      for (BufferedReader out : outputs) {
        Measurements.check("READY".equals(out.readLine()), "a worker failed to start");
      }
      List<ThreadCpu.Snapshot> ready = new ArrayList<>();
      for (Process worker : workers) {
        ready.add(ThreadCpu.snapshot(worker.pid()));
      }
      Map<ThreadCpu.Category, Long> threads = new EnumMap<>(ThreadCpu.Category.class);
      Map<ThreadCpu.Category, Long> lifetime = new EnumMap<>(ThreadCpu.Category.class);
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
        // Done and idle (waiting for its input to close): its threads' CPU is the loop's.
        ThreadCpu.Snapshot done = ThreadCpu.snapshot(workers.get(i).pid());
        threads = ThreadCpu.sum(threads, done.since(ready.get(i)));
        lifetime = ThreadCpu.sum(lifetime, done.byCategory());
      }
      long serverCpu = server.nanos() - serverCpu0;
      for (Process worker : workers) {
        worker.getOutputStream().close();
        Measurements.check(worker.waitFor() == 0, "a worker exited with an error");
      }
      double clientPerOp = clientCpu / 1e3 / ops;
      Object lowest = cpu.get("client_cpu_us_per_op");
      if (lowest == null || clientPerOp < (Double) lowest) {
        cpu.putAll(ThreadCpu.perOperation(threads, ops, "client_"));
        // Each client JVM's whole life (start, connect, warm-up, loop), in ms: what a
        // short-lived worker pays.
        lifetime.forEach(
            (category, nanos) ->
                cpu.put(
                    "client_lifetime_"
                        + category.name().toLowerCase(Locale.ROOT)
                        + "_cpu_ms_per_jvm",
                    Measurements.round(nanos / 1e6 / workers.size(), 1)));
      }
      cpu.merge("client_cpu_us_per_op", clientPerOp, ClientProcesses::lower);
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
