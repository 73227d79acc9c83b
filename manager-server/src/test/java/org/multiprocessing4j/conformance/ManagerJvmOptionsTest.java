package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;

/** The JVM options {@code Manager.start()} gives the manager's child JVM, and the caller's say. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManagerJvmOptionsTest {
  private static final byte[] KEY = "jvm-options-test".getBytes(StandardCharsets.UTF_8);

  @Test
  void aManagerStartedWithoutOptionsRunsTheSmallFootprintDefaults() {
    String commandLine = startAndReadCommandLine(Manager.builder().authkey(KEY));
    assertTrue(commandLine.contains("-XX:+UseSerialGC"), commandLine);
    assertTrue(commandLine.contains("-Xms8m"), commandLine);
    assertTrue(commandLine.contains("-XX:MaxHeapFreeRatio=20"), commandLine);
  }

  @Test
  void aCollectorTheCallerNamesReplacesOursAndTheManagerStarts() {
    // Two collectors on one command line would stop the JVM from starting at all.
    String commandLine =
        startAndReadCommandLine(
            Manager.builder().authkey(KEY).jvmOptions("-XX:+UseG1GC", "-Xms32m"));
    assertTrue(commandLine.contains("-XX:+UseG1GC"), commandLine);
    assertFalse(commandLine.contains("-XX:+UseSerialGC"), commandLine);
    assertFalse(commandLine.contains("-Xms8m"), commandLine);
  }

  /** Starts a manager in a child JVM, uses it, and returns that JVM's command line. */
  private static String startAndReadCommandLine(Manager.Builder builder) {
    Set<Long> before =
        ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    try (Manager manager = builder.start()) {
      SharedList<Integer> list = manager.list(List.of(1, 2));
      assertEquals(List.of(1, 2), list.copy());
      List<ProcessHandle> started =
          ProcessHandle.current()
              .children()
              .filter(p -> !before.contains(p.pid()))
              .collect(Collectors.toList());
      assertEquals(1, started.size(), "expected one manager JVM, found " + started);
      return started.get(0).info().commandLine().orElseThrow();
    }
  }
}
