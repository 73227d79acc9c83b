package org.multiprocessing4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What happens to a {@link JvmProcess}'s child when its parent JVM ends: a daemon child dies with
 * the parent, even one killed with {@code kill -9}; a non-daemon child is waited for when the
 * parent's {@code main} returns. The parent is a JVM of its own ({@link ProcessParentMain}).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JvmProcessParentIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Process parent;
  private Path output;
  private long childPid = -1;

  @AfterEach
  void cleanUp() throws IOException {
    if (parent != null) {
      parent.destroyForcibly();
    }
    if (childPid > 0) {
      ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
    }
    if (output != null) {
      Files.deleteIfExists(output);
    }
  }

  @Test
  void aDaemonChildDiesWithItsParent_evenWhenTheParentIsKilledWithSigkill() throws Exception {
    startParent("daemon-killed");
    childPid = Long.parseLong(awaitLine(ProcessParentMain.CHILD));
    awaitLine(ProcessParentMain.CHILD_RUNNING);
    ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();

    parent.destroyForcibly(); // kill -9: no shutdown hook runs
    assertTrue(parent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(137, parent.exitValue());
    awaitGone(child);
  }

  @Test
  void aDaemonChildIsTerminatedWhenItsParentsMainReturns() throws Exception {
    startParent("daemon-returns");
    childPid = Long.parseLong(awaitLine(ProcessParentMain.CHILD));
    Optional<ProcessHandle> child = ProcessHandle.of(childPid);
    assertTrue(parent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), output());
    assertEquals(0, parent.exitValue(), output());
    child.ifPresent(this::awaitGone);
  }

  @Test
  void aNonDaemonChildIsJoinedWhenItsParentsMainReturns() throws Exception {
    startParent("non-daemon-returns");
    childPid = Long.parseLong(awaitLine(ProcessParentMain.CHILD));
    assertTrue(parent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), output());
    assertEquals(0, parent.exitValue(), output());

    List<String> lines = output().lines().collect(Collectors.toList());
    int returned = lines.indexOf(ProcessParentMain.MAIN_RETURNS);
    int done = lines.indexOf(ProcessParentMain.CHILD_DONE);
    assertTrue(returned >= 0, output());
    assertTrue(done > returned, "the parent exited without waiting for its child:\n" + output());
    assertFalse(ProcessHandle.of(childPid).isPresent(), "the child outlived its parent");
  }

  @Test
  void childrenWritingToTheParentsOutputAtOnce_writeWholeLines() throws Exception {
    startParent("long-lines");
    assertTrue(parent.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), output());
    assertEquals(0, parent.exitValue(), output());
    List<String> lines =
        output()
            .lines()
            .filter(l -> !l.equals(ProcessParentMain.MAIN_RETURNS))
            .collect(Collectors.toList());
    String a = "a".repeat(ProcessParentMain.LONG_LINE);
    String b = "b".repeat(ProcessParentMain.LONG_LINE);
    assertEquals(
        2 * ProcessParentMain.LONG_LINES,
        lines.size(),
        "lines were split or merged: "
            + lines.stream()
                .filter(l -> !l.equals(a) && !l.equals(b))
                .map(l -> l.length() > 80 ? l.substring(0, 80) + "... (" + l.length() + ")" : l)
                .limit(5)
                .collect(Collectors.toList()));
    assertTrue(lines.stream().allMatch(l -> l.equals(a) || l.equals(b)), "a line was interleaved");
  }

  private void startParent(String mode) throws IOException {
    output = Files.createTempFile("mp4j-process-parent-", ".log");
    parent =
        // test-support's, not this package's ChildJvm (the process API's child)
        org.multiprocessing4j.testsupport.ChildJvm.launcher(ProcessParentMain.class)
            .arguments(mode)
            .errorToOutput()
            .output(ProcessBuilder.Redirect.to(output.toFile()))
            .start()
            .process();
  }

  private void awaitGone(ProcessHandle child) {
    try {
      child.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("child pid " + child.pid() + " outlived its parent", e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertFalse(child.isAlive());
  }

  /** Waits for a line starting with {@code prefix}; returns the rest of it. */
  private String awaitLine(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : output().split("\n", -1)) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
      if (!parent.isAlive()) {
        throw new AssertionError(
            "the parent exited before printing '" + prefix + "':\n" + output());
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no line '" + prefix + "' within " + WAIT + ":\n" + output());
  }

  private String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "<cannot read the output: " + e + ">";
    }
  }
}
