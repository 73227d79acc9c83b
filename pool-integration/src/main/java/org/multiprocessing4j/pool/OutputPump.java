package org.multiprocessing4j.pool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Copies a worker's stdout or stderr to this JVM's, a whole line at a time so that lines of
 * different workers do not interleave. (Inheriting the descriptors would be cheaper, but a test
 * runner that talks to this JVM over its stdout must not see the workers' raw output.)
 */
final class OutputPump implements Runnable {
  private final InputStream in;
  private final Supplier<PrintStream> target;

  private OutputPump(InputStream in, Supplier<PrintStream> target) {
    this.in = in;
    this.target = target;
  }

  /** Starts a daemon thread that copies until the end of {@code in}; returns it (to await that). */
  static Thread start(InputStream in, Supplier<PrintStream> target, String name) {
    Thread thread = new Thread(new OutputPump(in, target), name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void run() {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    byte[] buffer = new byte[8192];
    try (InputStream stream = in) {
      int n;
      while ((n = stream.read(buffer)) >= 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            line.write(buffer, start, i + 1 - start);
            flush(line);
            start = i + 1;
          }
        }
        line.write(buffer, start, n - start);
      }
    } catch (IOException e) {
      // the worker is gone
    }
    if (line.size() > 0) {
      line.write('\n');
      flush(line);
    }
  }

  private void flush(ByteArrayOutputStream line) {
    PrintStream out = target.get();
    synchronized (out) {
      out.write(line.toByteArray(), 0, line.size());
      out.flush();
    }
    line.reset();
  }
}
