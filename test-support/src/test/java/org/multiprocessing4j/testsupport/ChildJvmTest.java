package org.multiprocessing4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildJvmTest {
  /** Prints its arguments and an environment variable, then exits with the code it is given. */
  public static final class Echo {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("ARGS " + String.join(",", args));
      System.err.println("ENV " + System.getenv("MP4J_ECHO"));
      if (args.length > 0 && args[0].equals("wait")) {
        Thread.sleep(60_000);
      }
      System.exit(args.length > 0 && args[0].equals("fail") ? 3 : 0);
    }
  }

  @Test
  void runsAMainClassOfTheTestSourcesWithArgumentsAndEnvironment() throws Exception {
    try (ChildJvm child = ChildJvm.start(Echo.class, Map.of("MP4J_ECHO", "hello"), "a", "b")) {
      assertEquals("a,b", child.awaitLine("ARGS ", Duration.ofSeconds(60)));
      child.assertSucceeds(Duration.ofSeconds(60));
      assertTrue(child.output().contains("ENV hello"), child.output()); // standard error too
    }
  }

  @Test
  void aFailingExitIsReportedWithTheOutput() throws Exception {
    try (ChildJvm child = ChildJvm.start(Echo.class, "fail")) {
      AssertionError failure =
          assertThrows(AssertionError.class, () -> child.assertSucceeds(Duration.ofSeconds(60)));
      assertTrue(failure.getMessage().contains("exited with 3"), failure.getMessage());
      assertTrue(failure.getMessage().contains("ARGS fail"), failure.getMessage());
    }
  }

  @Test
  void waitingForALineTheChildNeverPrintsFailsOnceItExits() {
    try (ChildJvm child = ChildJvm.start(Echo.class)) {
      AssertionError failure =
          assertThrows(
              AssertionError.class, () -> child.awaitLine("NEVER ", Duration.ofSeconds(60)));
      assertTrue(failure.getMessage().contains("exited before printing"), failure.getMessage());
    }
  }

  @Test
  void closeKillsTheChild() throws Exception {
    ChildJvm child = ChildJvm.start(Echo.class, "wait");
    child.awaitLine("ARGS ", Duration.ofSeconds(60));
    child.close();
    assertFalse(child.isAlive());
  }
}
