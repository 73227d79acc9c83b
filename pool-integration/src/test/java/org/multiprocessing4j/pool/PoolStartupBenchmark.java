package org.multiprocessing4j.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;

/**
 * Pool start-up and throughput, for the benchmarks module to wire (not a test: it asserts nothing).
 * Arguments: the number of workers (default 4), then JVM options for the workers, e.g. {@code 4
 * -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}.
 *
 * <p>Prints one line per measurement: the pool-ready time (all workers started in parallel,
 * connected, initialized), the first task that uses a shared object in every worker (the worker's
 * manager client starts), and tasks per second for one-by-one {@code apply}, {@code applyAsync}
 * bursts, {@code map} with chunk size 1 and with the default chunk size, in four rounds (the
 * workers' JIT warms up over the first ones).
 *
 * <p>Run: {@code mvn -B -q -pl pool-integration test-compile exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.pool.PoolStartupBenchmark}, or with arguments {@code
 * -Dexec.args="-classpath %classpath org.multiprocessing4j.pool.PoolStartupBenchmark 4
 * -XX:TieredStopAtLevel=1"}.
 */
public final class PoolStartupBenchmark {
  private static final int ROUNDS = 4;

  private PoolStartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int processes = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    String[] jvmOptions =
        args.length > 1 ? Arrays.copyOfRange(args, 1, args.length) : new String[0];
    try (Manager m = Manager.start()) {
      long t0 = System.nanoTime();
      ProcessPool pool =
          ProcessPool.builder().processes(processes).manager(m).jvmOptions(jvmOptions).start();
      report("pool ready (" + processes + " workers " + Arrays.toString(jvmOptions) + ")", t0);
      try {
        SharedList<Long> list = m.list();
        t0 = System.nanoTime();
        List<AsyncResult<Boolean>> first = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
          first.add(
              pool.applyAsync(
                  () -> {
                    Thread.sleep(50); // spread the tasks over the workers
                    return list.add(ProcessHandle.current().pid());
                  }));
        }
        for (AsyncResult<Boolean> r : first) {
          r.get();
        }
        report("first shared-object task on every worker", t0);

        // The workers' JIT warms up over the first rounds; every round is printed.
        for (int round = 1; round <= ROUNDS; round++) {
          String tag = " (round " + round + ")";
          int n = 2_000;
          t0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            pool.apply(() -> 1);
          }
          rate("apply, one at a time" + tag, n, t0);

          n = 10_000;
          t0 = System.nanoTime();
          List<AsyncResult<Integer>> burst = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            int x = i;
            burst.add(pool.applyAsync(() -> x + 1));
          }
          for (AsyncResult<Integer> r : burst) {
            r.get();
          }
          rate("applyAsync burst" + tag, n, t0);

          List<Integer> inputs = IntStream.range(0, n).boxed().collect(Collectors.toList());
          t0 = System.nanoTime();
          pool.map(x -> x + 1, inputs, 1);
          rate("map, chunksize 1" + tag, n, t0);

          n = 1_000_000;
          inputs = IntStream.range(0, n).boxed().collect(Collectors.toList());
          t0 = System.nanoTime();
          pool.map(x -> x + 1, inputs);
          rate("map, default chunksize" + tag, n, t0);
        }
      } finally {
        t0 = System.nanoTime();
        pool.close();
        report("close (workers exited)", t0);
      }
    }
  }

  private static void report(String what, long startNanos) {
    System.out.printf("%-55s %8.1f ms%n", what, (System.nanoTime() - startNanos) / 1e6);
  }

  private static void rate(String what, int tasks, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("%-55s %10.0f tasks/s%n", what, tasks / seconds);
  }
}
