package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedJoinableQueue;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * Queues across real JVMs: a manager in its own JVM (the child-JVM tier, as {@code Manager.start()}
 * runs it), producer and consumer worker JVMs that receive the queue proxy on their command line.
 *
 * <p>End of work: queues reject {@code null} (the {@code BlockingQueue} contract), so where Python
 * puts {@code None}, producers put an explicit end marker, one per consumer: the string {@code
 * "END"} here, the value {@code -1} in the stress test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager(ManagerTier.CHILD_JVM)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QueueIT {
  static final String END = "END";
  private static final Duration EXIT = Duration.ofMinutes(2);
  private final Manager m;

  QueueIT(Manager m) {
    this.m = m;
  }

  // --- the seed's producer/consumer, across JVMs

  /** args: queue, item count, consumer count. Puts the items, then one END per consumer. */
  static final class Producer {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedQueue<String> q = ProxyArgs.decode(m, args[0]);
        int items = Integer.parseInt(args[1]);
        for (int i = 0; i < items; i++) {
          q.put("item-" + i);
          System.out.println("Produced: item-" + i);
        }
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
          q.put(END);
        }
      }
    }
  }

  /** args: queue. Takes until END. */
  static final class Consumer {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedQueue<String> q = ProxyArgs.decode(m, args[0]);
        while (true) {
          String item = q.take();
          if (item.equals(END)) {
            System.out.println("DONE");
            return;
          }
          System.out.println("Consumed: " + item);
        }
      }
    }
  }

  @Test
  void producerConsumer_acrossJvmsWithAnEndMarker() throws Exception {
    SharedQueue<String> q = m.queue();
    String queueArg = ProxyArgs.encode(q);
    try (ChildJvm c1 = ChildJvm.start(Consumer.class, m.childEnvironment(), queueArg);
        ChildJvm c2 = ChildJvm.start(Consumer.class, m.childEnvironment(), queueArg);
        ChildJvm producer =
            ChildJvm.start(Producer.class, m.childEnvironment(), queueArg, "100", "2")) {
      producer.assertSucceeds(EXIT);
      c1.assertSucceeds(EXIT);
      c2.assertSucceeds(EXIT);
      List<String> consumed = new ArrayList<>();
      for (ChildJvm c : List.of(c1, c2)) {
        assertTrue(c.output().contains("DONE"), c.output());
        c.output()
            .lines()
            .filter(l -> l.startsWith("Consumed: "))
            .forEach(l -> consumed.add(l.substring("Consumed: ".length())));
      }
      assertEquals(100, consumed.size(), "every item once");
      assertEquals(
          IntStream.range(0, 100).mapToObj(i -> "item-" + i).collect(Collectors.toSet()),
          new HashSet<>(consumed));
      assertTrue(q.isEmpty());
    }
  }

  // --- JoinableQueue: join() returns when every item is processed

  /** args: joinable queue, processed list. Processes until END, reporting each item done. */
  static final class JoinableWorker {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedJoinableQueue<String> q = ProxyArgs.decode(m, args[0]);
        SharedList<String> processed = ProxyArgs.decode(m, args[1]);
        while (true) {
          String item = q.take();
          if (item.equals(END)) {
            q.taskDone();
            return;
          }
          Thread.sleep(20); // the work
          processed.add(item);
          q.taskDone();
        }
      }
    }
  }

  @Test
  void joinableQueue_joinReturnsOnceEveryItemIsProcessed() throws Exception {
    SharedJoinableQueue<String> q = m.joinableQueue();
    SharedList<String> processed = m.list();
    List<ChildJvm> workers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        workers.add(
            ChildJvm.start(
                JoinableWorker.class,
                m.childEnvironment(),
                ProxyArgs.encode(q),
                ProxyArgs.encode(processed)));
      }
      for (int i = 0; i < 30; i++) {
        q.put("job-" + i);
      }
      q.join();
      assertEquals(30, processed.size(), "join() returned only once all 30 were processed");
      assertEquals(0, q.unfinishedTasks());
      for (int i = 0; i < workers.size(); i++) {
        q.put(END);
      }
      q.join();
      for (ChildJvm worker : workers) {
        worker.assertSucceeds(EXIT);
      }
    } finally {
      workers.forEach(ChildJvm::close);
    }
  }

  // --- stress: 4 producers x 5,000 items, queue(16), 4 consumers with interrupts and timeouts

  static final int PRODUCERS = 4;
  static final int CONSUMERS = 4;
  static final int ITEMS_PER_PRODUCER = 5_000;
  static final int STOP = -1;

  /** args: queue, producer index. Puts ids index*1,000,000 + i. */
  static final class StressProducer {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedQueue<Integer> q = ProxyArgs.decode(m, args[0]);
        int base = Integer.parseInt(args[1]) * 1_000_000;
        for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
          q.put(base + i);
        }
      }
    }
  }

  /**
   * args: queue, mode, output file. Mode {@code interrupt}: another thread interrupts the consumer
   * every few milliseconds while it is blocked in {@code take()}; {@code timeout}: {@code poll}
   * with 1–3 ms timeouts; {@code plain}: {@code take()}. Writes the ids it consumed to the file.
   */
  static final class StressConsumer {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedQueue<Integer> q = ProxyArgs.decode(m, args[0]);
        String mode = args[1];
        Random random = new Random();
        List<Integer> ids = new ArrayList<>();
        int interrupts = 0;
        int raced = 0;
        int timeouts = 0;
        Thread consumer = Thread.currentThread();
        Thread interrupter =
            new Thread(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(1 + random.nextInt(4));
                    } catch (InterruptedException e) {
                      return;
                    }
                    consumer.interrupt();
                  }
                });
        interrupter.setDaemon(true);
        if (mode.equals("interrupt")) {
          interrupter.start();
        }
        while (true) {
          Integer item;
          try {
            if (mode.equals("timeout")) {
              item = q.poll(1 + random.nextInt(3), TimeUnit.MILLISECONDS);
              if (item == null) {
                timeouts++;
                continue;
              }
            } else {
              item = q.take();
            }
          } catch (InterruptedException e) {
            interrupts++; // the wait was withdrawn on the manager: nothing was taken
            continue;
          }
          if (Thread.interrupted()) {
            raced++; // handed over in the same instant as the interrupt: kept, not lost
          }
          if (item == STOP) {
            break;
          }
          ids.add(item);
        }
        interrupter.interrupt();
        interrupter.join();
        Thread.interrupted();
        Files.write(
            Path.of(args[2]), ids.stream().map(String::valueOf).collect(Collectors.toList()));
        System.out.println(
            "CONSUMED "
                + ids.size()
                + " INTERRUPTS "
                + interrupts
                + " RACED "
                + raced
                + " TIMEOUTS "
                + timeouts);
      }
    }
  }

  @Test
  void boundedQueue_everyItemExactlyOnceDespiteInterruptsAndTimeouts() throws Exception {
    SharedQueue<Integer> q = m.queue(16);
    String queueArg = ProxyArgs.encode(q);
    String[] modes = {"interrupt", "interrupt", "timeout", "plain"};
    List<Path> outputs = new ArrayList<>();
    List<ChildJvm> consumers = new ArrayList<>();
    List<ChildJvm> producers = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int c = 0; c < CONSUMERS; c++) {
        Path out = Files.createTempFile("mp4j-consumed-" + c, ".txt");
        outputs.add(out);
        consumers.add(
            ChildJvm.start(
                StressConsumer.class, m.childEnvironment(), queueArg, modes[c], out.toString()));
      }
      for (int p = 0; p < PRODUCERS; p++) {
        producers.add(
            ChildJvm.start(
                StressProducer.class, m.childEnvironment(), queueArg, String.valueOf(p)));
      }
      for (ChildJvm producer : producers) {
        producer.assertSucceeds(EXIT);
      }
      for (int c = 0; c < CONSUMERS; c++) {
        q.put(STOP);
      }
      List<Integer> consumed = new ArrayList<>();
      for (int c = 0; c < CONSUMERS; c++) {
        consumers.get(c).assertSucceeds(EXIT);
        System.out.println("consumer " + modes[c] + ": " + consumers.get(c).output().trim());
        for (String line : Files.readAllLines(outputs.get(c))) {
          consumed.add(Integer.parseInt(line));
        }
      }
      System.out.printf(
          "stress: %d items through queue(16) in %d ms%n",
          consumed.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      Set<Integer> distinct = new HashSet<>(consumed);
      assertEquals(consumed.size(), distinct.size(), "no item was delivered twice");
      Set<Integer> expected = new HashSet<>();
      for (int p = 0; p < PRODUCERS; p++) {
        for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
          expected.add(p * 1_000_000 + i);
        }
      }
      assertEquals(expected, distinct, "every item arrived");
      assertTrue(q.isEmpty());
      assertTrue(
          consumers.get(0).output().matches("(?s).*INTERRUPTS [1-9].*"),
          "interrupts were injected: " + consumers.get(0).output());
      assertTrue(
          consumers.get(2).output().matches("(?s).*TIMEOUTS [1-9].*"),
          "timeouts were injected: " + consumers.get(2).output());
    } finally {
      producers.forEach(ChildJvm::close);
      consumers.forEach(ChildJvm::close);
      for (Path out : outputs) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // best effort
        }
      }
    }
  }
}
