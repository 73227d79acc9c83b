package org.multiprocessing4j.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM running a main class of the test sources, for tests about what happens to a pool's workers
 * when their parent JVM dies. Output goes to a file, shown when an assertion about it fails.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final Path output;
  private final String name;

  private ChildJvm(Process process, Path output, String name) {
    this.process = process;
    this.output = output;
    this.name = name;
  }

  static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(Arrays.asList(args));
    Path output = Files.createTempFile("mp4j-pool-" + mainClass.getSimpleName(), ".log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new ChildJvm(process, output, mainClass.getSimpleName());
  }

  /** Waits for a line starting with {@code prefix} and returns the rest of it. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : output().split("\n")) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited before printing '" + prefix + "':\n" + output());
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        name + " did not print '" + prefix + "' within " + timeout + ":\n" + output());
  }

  /** {@code kill -9}: the JVM gets no chance to clean up. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "<cannot read output: " + e + ">";
    }
  }

  @Override
  public void close() throws IOException {
    process.destroyForcibly();
    Files.deleteIfExists(output);
  }
}
