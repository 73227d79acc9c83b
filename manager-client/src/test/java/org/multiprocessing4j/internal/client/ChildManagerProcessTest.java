package org.multiprocessing4j.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The small-footprint JVM options a manager's child JVM gets by default, and the caller's say (the
 * manager-server module's ManagerJvmOptionsTest starts such a JVM and reads its command line).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChildManagerProcessTest {

  @Test
  void heapRatiosTheCallerSetsAreNotContradicted() {
    assertEquals(
        List.of("-XX:+UseSerialGC", "-Xms8m"),
        ChildManagerProcess.defaultJvmOptions(List.of("-XX:MinHeapFreeRatio=40")));
    assertEquals(
        List.of("-XX:+UseSerialGC", "-Xms8m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20"),
        ChildManagerProcess.defaultJvmOptions(List.of()));
  }
}
