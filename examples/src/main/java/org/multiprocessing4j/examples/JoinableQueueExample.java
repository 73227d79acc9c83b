package org.multiprocessing4j.examples;

import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedJoinableQueue;

/**
 * The seed's JoinableQueue: producers put items and {@code join()} the queue, which returns once
 * consumers have reported every item done with {@code taskDone()}. Python's consumers are daemon
 * processes killed at exit; here main stops them with one end marker each.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.JoinableQueueExample}
 */
public final class JoinableQueueExample {
  static final String END = "END";

  private JoinableQueueExample() {}

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      SharedJoinableQueue<String> q = m.joinableQueue();
      ExampleProcess c1 = ExampleProcess.start(m, Consumer.class, q, "c1");
      ExampleProcess c2 = ExampleProcess.start(m, Consumer.class, q, "c2");
      ExampleProcess p1 = ExampleProcess.start(m, Producer.class, q, "bun");
      ExampleProcess p2 = ExampleProcess.start(m, Producer.class, q, "bone");
      p1.join(); // each producer returns once its items (and everyone's) were processed
      p2.join();
      System.out.println("main: every item was processed, " + q.unfinishedTasks() + " left");
      q.put(END);
      q.put(END);
      c1.join();
      c2.join();
    }
  }

  /** args: queue, food name. */
  public static final class Producer {
    private Producer() {}

    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedJoinableQueue<String> q = ExampleProcess.shared(m, args[0]);
        for (int i = 0; i < 3; i++) {
          String item = args[1] + i;
          q.put(item);
          System.out.println("produced " + item);
        }
        q.join(); // until consumers called taskDone() for every item put
        System.out.println("producer " + args[1] + ": all items were processed");
      }
    }
  }

  /** args: queue, consumer name. */
  public static final class Consumer {
    private Consumer() {}

    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedJoinableQueue<String> q = ExampleProcess.shared(m, args[0]);
        while (true) {
          String item = q.take();
          if (item.equals(END)) {
            q.taskDone();
            return;
          }
          Thread.sleep(30); // eating
          System.out.println(args[1] + " ate " + item);
          q.taskDone();
        }
      }
    }
  }
}
