package org.multiprocessing4j.examples;

import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedJoinableQueue;
import org.multiprocessing4j.process.JvmProcess;

/**
 * The seed's JoinableQueue, line for line: producers put items and {@code join()} the queue, which
 * returns once the consumers have reported every item done with {@code taskDone()}. The consumers
 * loop forever and are daemon processes, as in Python: nobody waits for them.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.JoinableQueueExample}
 */
public final class JoinableQueueExample {
  private JoinableQueueExample() {}

  static void consumer(String name, SharedJoinableQueue<String> q) throws InterruptedException {
    while (true) {
      String res = q.take();
      Thread.sleep(ThreadLocalRandom.current().nextInt(10, 30)); // eating
      System.out.println(name + " ate " + res);
      q.taskDone();
    }
  }

  static void producer(String name, SharedJoinableQueue<String> q) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      Thread.sleep(ThreadLocalRandom.current().nextInt(10, 30));
      String res = name + i;
      q.put(res);
      System.out.println("produced " + res);
    }
    q.join(); // until the consumers called taskDone() for every item put
    System.out.println("producer " + name + ": all items were processed");
  }

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      SharedJoinableQueue<String> q = m.joinableQueue();
      JvmProcess p1 = JvmProcess.of(m, () -> producer("bun", q));
      JvmProcess p2 = JvmProcess.of(m, () -> producer("bone", q));
      JvmProcess c1 =
          JvmProcess.builder().manager(m).target(() -> consumer("c1", q)).daemon(true).build();
      JvmProcess c2 =
          JvmProcess.builder().manager(m).target(() -> consumer("c2", q)).daemon(true).build();
      p1.start();
      p2.start();
      c1.start();
      c2.start();
      p1.join();
      p2.join();
      System.out.println("main: every item was processed, " + q.unfinishedTasks() + " left");
      // Python terminates daemon children when main exits; here before the manager closes,
      // which the end of this block does first.
      c1.terminate();
      c2.terminate();
    }
  }
}
