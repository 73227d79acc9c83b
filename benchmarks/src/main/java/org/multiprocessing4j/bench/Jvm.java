package org.multiprocessing4j.bench;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.internal.launch.JvmLauncher;

/**
 * Another JVM like this one (same Java, same class path), started through the library's one
 * launcher ({@link JvmLauncher}); and what such a JVM does to go when the benchmark that started it
 * goes. Stateless; safe from any thread.
 */
final class Jvm {
  /**
   * JVM options for the benchmark's client JVMs ({@link BenchWorker}, {@link PeerWorker}) and pool
   * workers, separated by spaces: how worker-JVM options are compared (docs/benchmarks.md, "Worker
   * JVMs"). Handed on to every JVM started here, so a {@code ManagerBench} JVM passes it to its
   * workers.
   */
  static final String WORKER_OPTIONS_PROPERTY = "mp4j.bench.workerJvmOptions";

  private Jvm() {}

  /**
   * Returns when this JVM's standard input ends. A server started by {@link ManagerProcess#launch}
   * gets nothing on it, and its end means the benchmark that started it is gone.
   */
  static void awaitEndOfInput() throws IOException {
    while (System.in.read() != -1) {
      // nothing comes on standard input; its end is the signal
    }
  }

  /** A JVM running {@code mainClass}, with the benchmark's own settings handed on. */
  static JvmLauncher launcher(String mainClass) {
    JvmLauncher launcher = JvmLauncher.mainClass(mainClass);
    for (String property : List.of(BenchWorker.WARMUP_PROPERTY, WORKER_OPTIONS_PROPERTY)) {
      String value = System.getProperty(property);
      if (value != null) {
        launcher.jvmOptions("-D" + property + "=" + value);
      }
    }
    return launcher;
  }

  /** {@link #launcher}, plus the worker JVM options under comparison. */
  static JvmLauncher workerLauncher(String mainClass) {
    return launcher(mainClass).jvmOptions(workerOptions());
  }

  /** The options of {@link #WORKER_OPTIONS_PROPERTY} (none when it is not set). */
  static List<String> workerOptions() {
    String options = System.getProperty(WORKER_OPTIONS_PROPERTY, "").trim();
    return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
  }
}
