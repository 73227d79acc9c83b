package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.testsupport.ChildJvm;

/**
 * Runs a README example as its users would (its {@code main} in its own JVM, starting its own
 * manager and {@code JvmProcess}es) and reads what it printed. Stateless; thread-safe.
 */
final class ExampleRun {
  /** Lines that show a failure: a stack trace, or a process reported by its {@code JvmProcess}. */
  static final String FAILURE = ".*(Exception|Process JvmProcess).*";

  private static final Duration RUN = Duration.ofMinutes(2);

  private ExampleRun() {}

  /** Runs {@code example}, asserts that it exits with 0, and returns its output lines. */
  static List<String> run(Class<?> example) throws InterruptedException {
    try (ChildJvm jvm = ChildJvm.start(example, Map.of())) {
      jvm.assertSucceeds(RUN);
      return jvm.output().lines().collect(Collectors.toList());
    }
  }

  static List<String> matching(List<String> lines, String regex) {
    return lines.stream().filter(l -> l.matches(regex)).collect(Collectors.toList());
  }

  /** {@code prefix} followed by each of {@code numbers}, in order: the lines a loop prints. */
  static List<String> numbered(String prefix, IntStream numbers) {
    return numbers.mapToObj(i -> prefix + i).collect(Collectors.toList());
  }

  /**
   * The producer/consumer examples: items {@code 0..count-1} were each produced and consumed, in
   * order, and nothing failed.
   */
  static void assertProducedAndConsumedInOrder(List<String> out, int count) {
    String all = String.join("\n", out);
    for (String verb : List.of("Produced", "Consumed")) {
      assertEquals(
          numbered(verb + ": ", IntStream.range(0, count)), matching(out, verb + ": .*"), all);
    }
    assertEquals(List.of(), matching(out, FAILURE), all);
  }
}
