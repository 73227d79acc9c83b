package org.multiprocessing4j.bench;

import java.nio.file.Path;
import java.util.List;

/** The command that starts another JVM like this one: same Java, same class path. */
final class Jvm {
  private Jvm() {}

  static List<String> command() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-cp", System.getProperty("java.class.path"));
  }
}
