package org.multiprocessing4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.internal.launch.JvmLauncher;

/**
 * A JVM running a main class of the test sources with this test's Java and class path (a worker, a
 * sidecar, a parent whose death a test is about). Its output (standard output and error) goes to a
 * file, shown when an assertion about it fails; closing it kills the JVM and deletes the file.
 *
 * <p>Thread-safe: the process and the file may be read from any thread.
 */
public final class ChildJvm implements AutoCloseable {
  /**
   * Options every test child gets: a small, quickly started JVM (tests' children are short-lived
   * and run little code).
   */
  public static final List<String> TEST_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final Process process;
  private final Path output;
  private final String name;

  private ChildJvm(Process process, Path output, String name) {
    this.process = process;
    this.output = output;
    this.name = name;
  }

  /**
   * A launcher for {@code mainClass} with {@link #TEST_OPTIONS}, this JVM's class path, and no
   * class data archive, to add options, arguments and environment to; {@link #start(JvmLauncher,
   * String)} starts it.
   */
  public static JvmLauncher launcher(Class<?> mainClass) {
    return JvmLauncher.mainClass(mainClass).jvmOptions(TEST_OPTIONS);
  }

  /**
   * {@code java [jvmOptions] -cp <this JVM's class path> mainClass [args]}, for a test that starts
   * and reads the process itself.
   */
  public static List<String> command(List<String> jvmOptions, String mainClass, String... args) {
    return JvmLauncher.mainClass(mainClass).jvmOptions(jvmOptions).arguments(args).command();
  }

  /** Starts {@code mainClass} with these arguments. */
  public static ChildJvm start(Class<?> mainClass, String... args) {
    return start(launcher(mainClass).arguments(args), mainClass.getSimpleName());
  }

  /** Starts {@code mainClass} with these environment variables added and these arguments. */
  public static ChildJvm start(Class<?> mainClass, Map<String, String> env, String... args) {
    return start(launcher(mainClass).environment(env).arguments(args), mainClass.getSimpleName());
  }

  /** Starts {@code launcher}'s JVM with its output to a file; {@code name} appears in failures. */
  public static ChildJvm start(JvmLauncher launcher, String name) {
    try {
      Path output = Files.createTempFile("mp4j-" + name, ".log");
      Process process =
          launcher
              .errorToOutput()
              .output(ProcessBuilder.Redirect.to(output.toFile()))
              .start()
              .process();
      return new ChildJvm(process, output, name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /**
   * Reads a started child's standard output to its end, checks that it exits with {@code
   * expectedExit} within a minute, and returns the output (for children whose output is a pipe).
   */
  public static String finish(Process process, int expectedExit)
      throws IOException, InterruptedException {
    try {
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("the JVM did not exit:\n" + out);
      }
      if (process.exitValue() != expectedExit) {
        throw new AssertionError(
            "exit code " + process.exitValue() + ", expected " + expectedExit + ":\n" + out);
      }
      return out;
    } finally {
      process.destroyForcibly();
    }
  }

  public Process process() {
    return process;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the JVM to exit and returns its exit code; fails if it takes longer than {@code
   * timeout}.
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not exit within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** Asserts the JVM exits with code 0 within {@code timeout}. */
  public void assertSucceeds(Duration timeout) throws InterruptedException {
    int code = awaitExit(timeout);
    if (code != 0) {
      throw new AssertionError(name + " exited with " + code + "; output:\n" + output());
    }
  }

  /** {@code kill -9}: the JVM gets no chance to clean up. */
  public void killHard() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits until the output contains {@code marker}. */
  public void awaitOutput(String marker, Duration timeout) throws InterruptedException {
    awaitLine(null, marker, timeout);
  }

  /** Waits for a line starting with {@code prefix} and returns the rest of it, trimmed. */
  public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    return awaitLine(prefix, null, timeout);
  }

  private String awaitLine(String prefix, String marker, Duration timeout)
      throws InterruptedException {
    String wanted = prefix != null ? prefix : marker;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      // read before checking liveness: a child that printed and exited has printed
      boolean alive = process.isAlive();
      String out = output();
      if (prefix == null) {
        if (out.contains(marker)) {
          return marker;
        }
      } else {
        for (String line : out.split("\n", -1)) {
          if (line.startsWith(prefix)) {
            return line.substring(prefix.length()).trim();
          }
        }
      }
      if (!alive) {
        throw new AssertionError(name + " exited before printing '" + wanted + "':\n" + output());
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        name + " did not print '" + wanted + "' within " + timeout + ":\n" + output());
  }

  /** Everything the JVM printed so far. */
  public String output() {
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
      // a leftover temporary file: harmless
    }
  }

  @Override
  public String toString() {
    return "ChildJvm[" + name + " pid " + process.pid() + "]";
  }
}
