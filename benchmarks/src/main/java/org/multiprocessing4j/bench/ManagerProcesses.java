package org.multiprocessing4j.bench;

import java.io.IOException;
import java.nio.file.Path;

/** Starts a manager JVM for benchmarks outside this package (JMH's generated code). */
public final class ManagerProcesses {
  private ManagerProcesses() {}

  /** A started manager: where it listens, and the handle that stops it. */
  public static final class Started {
    public final String target;
    public final AutoCloseable process;

    Started(String target, AutoCloseable process) {
      this.target = target;
      this.process = process;
    }
  }

  /** A manager on TCP loopback (port 0), or on {@code unixSocket} when it is not null. */
  public static Started start(String authkey, Path unixSocket) throws IOException {
    ManagerProcess process = ManagerProcess.start(authkey, unixSocket);
    return new Started(process.target, process);
  }
}
