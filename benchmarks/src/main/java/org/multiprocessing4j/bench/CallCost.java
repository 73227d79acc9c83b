package org.multiprocessing4j.bench;

import static org.multiprocessing4j.bench.Measurements.map;
import static org.multiprocessing4j.bench.Measurements.round;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;

/**
 * What one blocking call costs the client, measured so that other load on the machine matters
 * little: a list append on a manager in its own JVM, after a warm-up, reporting per call the
 * calling thread's CPU time (the work the call itself does), the whole client process's CPU time
 * (JIT, GC, the idle reader), the manager's CPU time and the median latency; with {@code --strace},
 * also the client's system calls per call ({@code strace -c -f} attached for one round only). With
 * {@code --tls}, over TCP with TLS: the manager serves the certificate and key given, the client
 * trusts the CA given. Prints one JSON line per round, {@code call_cost}.
 *
 * <pre>
 *   CallCost [--tcp | --tls CERT KEY CA] [--calls N] [--warmup N] [--rounds R] [--strace FILE]
 * </pre>
 */
public final class CallCost {
  private static final String KEY = "call-cost";

  private CallCost() {}

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    int tlsAt = options.indexOf("--tls");
    boolean tls = tlsAt >= 0;
    boolean tcp = tls || options.contains("--tcp");
    String[] managerTls =
        tls
            ? new String[] {
              "--tls-cert=" + options.get(tlsAt + 1), "--tls-key=" + options.get(tlsAt + 2)
            }
            : new String[0];
    int calls = intOption(options, "--calls", 200_000);
    int warmup = intOption(options, "--warmup", 100_000);
    int rounds = intOption(options, "--rounds", 3);
    int at = options.indexOf("--strace");
    Path straceOut = at < 0 ? null : Path.of(options.get(at + 1));
    Path dir = Files.createTempDirectory("mp4j-call-cost");
    Path socket = dir.resolve("m.sock");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (ManagerProcess manager = ManagerProcess.start(KEY, tcp ? null : socket, managerTls);
        Manager m =
            tls
                ? Manager.builder()
                    .authkey(KEY)
                    .tls(Path.of(options.get(tlsAt + 3)))
                    .connect(manager.target)
                : Manager.connect(manager.target, KEY.getBytes(StandardCharsets.UTF_8))) {
      SharedList<Integer> list = m.list();
      for (int i = 0; i < warmup; i++) {
        list.add(i);
      }
      list.clear();
      long[] latencies = new long[calls];
      for (int round = 0; round < rounds; round++) {
        Process strace = straceOut == null || round != rounds - 1 ? null : attachStrace(straceOut);
        long thread0 = threads.getCurrentThreadCpuTime();
        long process0 = os.getProcessCpuTime();
        long manager0 = manager.cpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
          long t = System.nanoTime();
          list.add(i);
          latencies[i] = System.nanoTime() - t;
        }
        long wall = System.nanoTime() - start;
        long thread = threads.getCurrentThreadCpuTime() - thread0;
        long process = os.getProcessCpuTime() - process0;
        long managerCpu = manager.cpuNanos() - manager0;
        if (strace != null) {
          detach(strace);
        }
        list.clear();
        Arrays.sort(latencies);
        Measurements.emit(
            map(
                "bench", "call_cost",
                "transport", System.getProperty("mp4j.transport", "wire"),
                "socket", tls ? "tls" : tcp ? "tcp" : "unix",
                "round", round,
                "calls", calls,
                "p50_us", round(latencies[calls / 2] / 1e3, 1),
                "p99_us", round(latencies[calls * 99 / 100] / 1e3, 1),
                "wall_us_per_call", round(wall / 1e3 / calls, 1),
                "thread_cpu_us_per_call", round(thread / 1e3 / calls, 1),
                "process_cpu_us_per_call", round(process / 1e3 / calls, 1),
                "manager_cpu_us_per_call", round(managerCpu / 1e3 / calls, 1),
                "strace", strace == null ? "" : straceOut.toString()));
      }
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  private static int intOption(List<String> options, String name, int otherwise) {
    int at = options.indexOf(name);
    return at < 0 ? otherwise : Integer.parseInt(options.get(at + 1));
  }

  /**
   * {@code strace -c} on the calling thread (its name there is "java") and the connection's idle
   * reader (tracing every thread of a JVM slows its safepoints down by orders of magnitude), from
   * now until {@link #detach}.
   */
  private static Process attachStrace(Path out) throws Exception {
    List<String> command = new ArrayList<>(List.of("strace", "-c", "-o", out.toString()));
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String name = Files.readString(task.resolve("comm")).trim();
        if (name.equals("java") || name.startsWith("mp4j-wire-read")) {
          command.addAll(List.of("-p", task.getFileName().toString()));
        }
      }
    }
    Process strace = new ProcessBuilder(command).redirectErrorStream(true).start();
    // strace says "Process N attached" for each thread once it is in place.
    var lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(strace.getInputStream(), StandardCharsets.UTF_8));
    int attached = 0;
    int wanted = (int) command.stream().filter("-p"::equals).count();
    String line;
    while (attached < wanted && (line = lines.readLine()) != null) {
      if (line.contains("attached")) {
        attached++;
      }
    }
    Thread drain = new Thread(() -> lines.lines().forEach(l -> {}), "strace-output");
    drain.setDaemon(true);
    drain.start();
    return strace;
  }

  private static void detach(Process strace) throws Exception {
    new ProcessBuilder("kill", "-INT", Long.toString(strace.pid())).start().waitFor();
    strace.waitFor(30, TimeUnit.SECONDS);
  }
}
