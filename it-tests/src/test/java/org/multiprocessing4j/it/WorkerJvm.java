package org.multiprocessing4j.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real worker JVM for multi-process tests: same Java and class path as the test, a main class
 * from the test sources, the environment a worker gets from {@code Manager.childEnvironment()}.
 * Output goes to a file, shown when an assertion about the worker fails.
 */
final class WorkerJvm implements AutoCloseable {
  private final Process process;
  private final Path output;
  private final String name;

  private WorkerJvm(Process process, Path output, String name) {
    this.process = process;
    this.output = output;
    this.name = name;
  }

  static WorkerJvm start(Class<?> mainClass, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    try {
      Path output = Files.createTempFile("mp4j-worker-" + mainClass.getSimpleName(), ".log");
      builder.redirectErrorStream(true).redirectOutput(output.toFile());
      return new WorkerJvm(builder.start(), output, mainClass.getSimpleName());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start worker " + mainClass.getName(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the worker to exit and returns its exit code; fails if it takes longer than {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not exit within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** Asserts the worker exits with code 0 within {@code timeout}. */
  void assertSucceeds(Duration timeout) throws InterruptedException {
    int code = awaitExit(timeout);
    if (code != 0) {
      throw new AssertionError(name + " exited with " + code + "; output:\n" + output());
    }
  }

  /** {@code kill -9}: the JVM gets no chance to clean up. */
  void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits until the worker's output contains {@code marker}. */
  void awaitOutput(String marker, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(marker)) {
        return;
      }
      if (!process.isAlive() && !output().contains(marker)) {
        throw new AssertionError(name + " exited before printing '" + marker + "':\n" + output());
      }
      Thread.sleep(20);
    }
    throw new AssertionError(name + " did not print '" + marker + "' within " + timeout + ":\n" + output());
  }

  String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "<cannot read output: " + e + ">";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // best effort
    }
  }
}
