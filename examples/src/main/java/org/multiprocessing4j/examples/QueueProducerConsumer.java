package org.multiprocessing4j.examples;

import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedQueue;

/**
 * The seed's producer/consumer over a queue: one process produces ten items, another consumes
 * them. Python's producer ends with {@code queue.put(None)}; a {@code BlockingQueue} refuses
 * {@code null}, so the producer puts an explicit end marker, {@link #END}, instead.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.QueueProducerConsumer}
 */
public final class QueueProducerConsumer {
  /** The end marker: no real item is negative. */
  static final int END = -1;

  private QueueProducerConsumer() {}

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      SharedQueue<Integer> queue = m.queue();
      ExampleProcess producer = ExampleProcess.start(m, Producer.class, queue);
      ExampleProcess consumer = ExampleProcess.start(m, Consumer.class, queue);
      producer.join();
      consumer.join();
      System.out.println("main: producer and consumer finished");
    }
  }

  /** The producer process. */
  public static final class Producer {
    private Producer() {}

    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedQueue<Integer> queue = ExampleProcess.shared(m, args[0]);
        for (int i = 0; i < 10; i++) {
          Thread.sleep(50); // some work
          queue.put(i);
          System.out.println("Produced: " + i);
        }
        queue.put(END); // Python: queue.put(None)
      }
    }
  }

  /** The consumer process. */
  public static final class Consumer {
    private Consumer() {}

    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedQueue<Integer> queue = ExampleProcess.shared(m, args[0]);
        while (true) {
          int item = queue.take(); // blocks until an item is there
          if (item == END) {
            break;
          }
          System.out.println("Consumed: " + item);
        }
        System.out.println("Consumer: got the end marker");
      }
    }
  }
}
