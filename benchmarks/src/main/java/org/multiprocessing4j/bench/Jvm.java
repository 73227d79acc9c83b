package org.multiprocessing4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Another JVM like this one (same Java, same class path): the command that starts it, and what such
 * a JVM does to go when the benchmark that started it goes.
 */
final class Jvm {
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

  static List<String> command() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    String warmUp = System.getProperty(BenchWorker.WARMUP_PROPERTY);
    if (warmUp != null) {
      command.add("-D" + BenchWorker.WARMUP_PROPERTY + "=" + warmUp);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return List.copyOf(command);
  }
}
