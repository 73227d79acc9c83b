package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.it.ExampleRun.FAILURE;
import static org.multiprocessing4j.it.ExampleRun.assertProducedAndConsumedInOrder;
import static org.multiprocessing4j.it.ExampleRun.matching;
import static org.multiprocessing4j.it.ExampleRun.run;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiprocessing4j.examples.JoinableQueueExample;
import org.multiprocessing4j.examples.LockPrinting;
import org.multiprocessing4j.examples.PipeExample;
import org.multiprocessing4j.examples.QueueProducerConsumer;

/**
 * Runs the README's queue, JoinableQueue, Pipe and Lock examples as their users would (each {@code
 * main} in its own JVM, starting its own manager and its processes with {@code JvmProcess}) and
 * checks what they print.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SynchronizationExamplesIT {
  private static int indexOfLineEndingWith(List<String> lines, String suffix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith(suffix)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The queue example (its consumer stops at the end marker) and the Pipe example (its consumer
   * stops after item 4): every item is produced and consumed, in order.
   */
  @ParameterizedTest
  @MethodSource("producerConsumerExamples")
  void producerConsumer_consumesEveryItemInOrderThenStops(Class<?> example, int items)
      throws Exception {
    assertProducedAndConsumedInOrder(run(example), items);
  }

  static Stream<Arguments> producerConsumerExamples() {
    return Stream.of(
        Arguments.of(QueueProducerConsumer.class, 10), Arguments.of(PipeExample.class, 5));
  }

  @Test
  void joinableQueue_producersReturnOnlyAfterEveryItemWasEaten() throws Exception {
    List<String> out = run(JoinableQueueExample.class);
    List<String> ate = matching(out, "c[12] ate .*");
    assertEquals(
        Set.of("bun0", "bun1", "bun2", "bone0", "bone1", "bone2"),
        ate.stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).collect(Collectors.toSet()),
        String.join("\n", out));
    assertEquals(6, ate.size(), "each item eaten once");
    // join() waits for the items put before it: a producer's own three at least. The other
    // producer's may come later (join() then rightly returned before they existed, as in Python).
    for (String producer : List.of("bun", "bone")) {
      int done = out.indexOf("producer " + producer + ": all items were processed");
      assertTrue(done >= 0, "producer " + producer + " never returned from join():\n" + out);
      for (int i = 0; i < 3; i++) {
        String item = producer + i;
        int eaten = indexOfLineEndingWith(out, " ate " + item);
        assertTrue(
            eaten >= 0 && eaten < done,
            "join() of producer " + producer + " returned before " + item + " was done:\n" + out);
      }
    }
    assertTrue(out.contains("main: every item was processed, 0 left"));
    // The daemon consumers were terminated, not failed: no stack trace.
    assertEquals(List.of(), matching(out, FAILURE), String.join("\n", out));
  }

  @Test
  void lockPrinting_eachProcessPrintsItsTwoLinesTogether() throws Exception {
    List<String> out = run(LockPrinting.class);
    List<String> lines = matching(out, "\\d+ is (running|done)");
    assertEquals(6, lines.size(), String.join("\n", out));
    Pattern line = Pattern.compile("(\\d+) is (running|done)");
    for (int i = 0; i < lines.size(); i += 2) {
      Matcher running = line.matcher(lines.get(i));
      Matcher done = line.matcher(lines.get(i + 1));
      assertTrue(running.matches() && done.matches());
      assertEquals("running", running.group(2), "interleaved:\n" + String.join("\n", lines));
      assertEquals("done", done.group(2));
      assertEquals(running.group(1), done.group(1), "interleaved:\n" + String.join("\n", lines));
    }
  }
}
