package org.multiprocessing4j.bench;

import java.io.IOException;
import java.util.List;

/**
 * A busy loop pinned to CPU 0 ({@code taskset -c 0 sh -c 'while :; do :; done'}), the CPU hog of
 * issue 16's row: a process that keeps one core busy while calls are measured. The same command as
 * {@code python_targets.py}'s, so both sides face the same hog. Not thread-safe; one owner.
 */
final class CpuHog implements AutoCloseable {
  static final String DESCRIPTION = "taskset -c 0 sh -c 'while :; do :; done'";
  private static final List<String> COMMAND =
      List.of("taskset", "-c", "0", "sh", "-c", "while :; do :; done");

  private final Process process;

  private CpuHog(Process process) {
    this.process = process;
  }

  /** Starts the loop; it runs until {@link #close}. */
  static CpuHog onCpu0() throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(COMMAND)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    // Let it be scheduled and take its core before the clock starts.
    Thread.sleep(200);
    if (!process.isAlive()) {
      throw new IOException(
          "the CPU hog exited at once (taskset missing?): exit code " + process.exitValue());
    }
    return new CpuHog(process);
  }

  @Override
  public void close() {
    ManagerProcess.stop(process);
  }
}
