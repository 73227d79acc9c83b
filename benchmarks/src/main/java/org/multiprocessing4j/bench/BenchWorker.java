package org.multiprocessing4j.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.Base64;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.SharedQueue;

/**
 * A client process of the multi-process workloads against our manager, Python's {@code _worker}:
 * connects from its environment, reconnects the proxy it was handed, warms up on a scratch object
 * of the same type (a JVM compiles its hot path; Python's interpreter has nothing to warm), then
 * follows {@link ClientProcesses}' READY / GO / DONE protocol.
 *
 * <p>Arguments: {@code append|put|get n proxy}, the proxy as {@link #encode} wrote it.
 */
public final class BenchWorker {
  /**
   * Operations each worker runs before the clock: enough for the JIT's optimizing compiler to take
   * the client's hot path (about 10,000 calls), as in a long-lived worker. {@code --quick} runs
   * pass a smaller count in this system property; {@link Jvm#command} hands it on.
   */
  static final String WARMUP_PROPERTY = "mp4j.bench.warmup";

  static int warmUpOperations() {
    return Integer.getInteger(WARMUP_PROPERTY, 20_000);
  }

  /**
   * For {@code --quick}: a smoke run's workers warm up on 3,000 operations, unless told otherwise.
   */
  static void warmUpLessUnlessSet() {
    if (System.getProperty(WARMUP_PROPERTY) == null) {
      System.setProperty(WARMUP_PROPERTY, "3000");
    }
  }

  private BenchWorker() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int n = Integer.parseInt(args[1]);
    try (Manager m = Manager.connectFromEnvironment()) {
      SharedObject proxy = decode(args[2]);
      warmUp(m, kind);
      ClientProcesses.serve(() -> run(kind, proxy, n));
    }
  }

  @SuppressWarnings("unchecked")
  private static void run(String kind, SharedObject proxy, int n) throws InterruptedException {
    switch (kind) {
      case "append" -> {
        SharedList<Integer> list = (SharedList<Integer>) proxy;
        for (int i = 0; i < n; i++) {
          list.add(i);
        }
      }
      case "put" -> {
        SharedQueue<Integer> out = (SharedQueue<Integer>) proxy;
        for (int i = 0; i < n; i++) {
          out.put(i);
        }
      }
      case "get" -> {
        SharedQueue<Integer> in = (SharedQueue<Integer>) proxy;
        for (int i = 0; i < n; i++) {
          in.take();
        }
      }
      default -> throw new IllegalArgumentException("unknown worker kind " + kind);
    }
  }

  private static void warmUp(Manager m, String kind) throws InterruptedException {
    if (kind.equals("append")) {
      SharedList<Integer> scratch = m.list();
      run("append", scratch, warmUpOperations());
    } else {
      SharedQueue<Integer> scratch = m.queue();
      int operations = warmUpOperations();
      for (int i = 0; i < operations; i++) {
        scratch.put(i);
        scratch.take();
      }
    }
    letCompilationsFinish();
  }

  /** The compiler threads finish in the background what the warm-up queued; not on the clock. */
  static void letCompilationsFinish() throws InterruptedException {
    Thread.sleep(300);
  }

  static String encode(SharedObject proxy) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(proxy);
    }
    return Base64.getUrlEncoder().encodeToString(bytes.toByteArray());
  }

  static SharedObject decode(String arg) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(arg)))) {
      return (SharedObject) in.readObject();
    }
  }
}
