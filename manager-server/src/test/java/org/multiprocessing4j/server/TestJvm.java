package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Fresh JVMs running this module's test class path: sidecars, workers, probes. */
final class TestJvm {
  private TestJvm() {}

  /** {@code java [jvmOptions] -cp <this JVM's class path> mainClass [args]}, to add to. */
  static List<String> command(List<String> jvmOptions, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Reads {@code process}'s standard output to its end, checks that it exits with {@code
   * expectedExit} within a minute, and returns the output.
   */
  static String finish(Process process, int expectedExit) throws IOException, InterruptedException {
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM did not exit:\n" + output);
      assertEquals(expectedExit, process.exitValue(), output);
      return output;
    } finally {
      process.destroyForcibly();
    }
  }
}
