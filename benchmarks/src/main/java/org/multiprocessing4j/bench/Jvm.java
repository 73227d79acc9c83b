package org.multiprocessing4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that starts another JVM like this one: same Java, same class path. */
final class Jvm {
  private Jvm() {}

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
