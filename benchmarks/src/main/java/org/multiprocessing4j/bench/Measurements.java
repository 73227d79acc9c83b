package org.multiprocessing4j.bench;

import com.google.gson.Gson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The JSON lines every benchmark main prints ({@link ManagerBench}, {@link PeerBench}), and the
 * timing helpers behind them, in one place so the lines {@code benchmarks/compare/report.py} merges
 * cannot drift apart.
 */
final class Measurements {
  private static final Gson GSON = new Gson();
  private static final PrintStream OUT = System.out;

  private Measurements() {}

  /** A timed loop: returns its seconds. */
  interface Workload {
    double run() throws Exception;
  }

  /** One untimed run (the JIT compiles the client's hot path), then {@code reps} timed ones. */
  static List<Double> timed(int reps, Workload workload) throws Exception {
    return afterUntimed(1, reps, workload).timed;
  }

  /**
   * {@code untimed} runs (at least one), then {@code reps} timed ones; the first run's seconds are
   * kept, for workloads whose warm-up is itself worth reporting.
   */
  static Runs afterUntimed(int untimed, int reps, Workload workload) throws Exception {
    double first = workload.run();
    for (int r = 1; r < untimed; r++) {
      workload.run();
    }
    List<Double> timed = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      timed.add(workload.run());
    }
    return new Runs(first, timed);
  }

  /** The seconds of a workload's first (untimed) run and of its timed runs. */
  static final class Runs {
    final double first;
    final List<Double> timed;

    private Runs(double first, List<Double> timed) {
      this.first = first;
      this.timed = timed;
    }
  }

  /** One measurement line: median seconds, rates derived from it, and every run. */
  static void report(
      String bench, int clients, int ops, List<Double> runs, Map<String, Object> extra) {
    List<Double> sorted = runs.stream().sorted().collect(Collectors.toList());
    double median = sorted.get(sorted.size() / 2);
    if (sorted.size() % 2 == 0) {
      median = (sorted.get(sorted.size() / 2 - 1) + median) / 2;
    }
    Map<String, Object> line =
        map(
            "bench", bench,
            "clients", clients,
            "ops", ops,
            "seconds", round(median, 6),
            "ops_per_s", round(ops / median, 1),
            "us_per_op", round(median / ops * 1e6, 2),
            "min_s", round(sorted.get(0), 6),
            "max_s", round(sorted.get(sorted.size() - 1), 6),
            "runs_s", runs.stream().map(r -> round(r, 6)).collect(Collectors.toList()));
    line.putAll(extra);
    emit(line);
  }

  static void emit(Map<String, Object> line) {
    OUT.println(GSON.toJson(line));
    OUT.flush();
  }

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> merged = new LinkedHashMap<>(a);
    merged.putAll(b);
    return merged;
  }

  static double round(double value, int places) {
    double scale = Math.pow(10, places);
    return Math.round(value * scale) / scale;
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static List<Integer> range(int count) {
    return IntStream.range(0, count).boxed().collect(Collectors.toList());
  }

  static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("benchmark result is wrong: " + what);
    }
  }
}
