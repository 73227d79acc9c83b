package org.multiprocessing4j.examples;

import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.process.JvmProcess;

/**
 * The seed's producer/consumer over a queue, line for line: one process produces ten items, another
 * consumes them. Python's producer ends with {@code queue.put(None)}; a {@code BlockingQueue}
 * refuses {@code null}, so the producer puts an explicit end marker, {@link #END}, instead.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.QueueProducerConsumer}
 */
public final class QueueProducerConsumer {
  /** The end marker: no real item is negative. */
  static final int END = -1;

  private QueueProducerConsumer() {}

  static void producer(SharedQueue<Integer> queue) throws InterruptedException {
    for (int i = 0; i < 10; i++) {
      Thread.sleep(50); // some work (Python: time.sleep(0.5))
      queue.put(i);
      System.out.println("Produced: " + i);
    }
    queue.put(END); // Python: queue.put(None)
  }

  static void consumer(SharedQueue<Integer> queue) throws InterruptedException {
    while (true) {
      int item = queue.take(); // blocks until an item is there
      if (item == END) {
        break;
      }
      System.out.println("Consumed: " + item);
    }
  }

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      SharedQueue<Integer> queue = m.queue();
      JvmProcess p1 = JvmProcess.of(m, () -> producer(queue));
      JvmProcess p2 = JvmProcess.of(m, () -> consumer(queue));
      p1.start();
      p2.start();
      p1.join();
      p2.join();
    }
  }
}
