package org.multiprocessing4j.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.testsupport.WithManager;

/** {@link JvmProcess} with real child JVMs: exit codes, joins, signals, output, shared objects. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager // one manager for the class, closed after its last test
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JvmProcessTest {
  static final String[] TEST_JVM = {"-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Manager m;

  JvmProcessTest(Manager m) {
    this.m = m;
  }

  private JvmProcess process(ProcessTarget target) {
    return builder().target(target).manager(m).build();
  }

  /** Output through System.out/err: this JVM's own are surefire's channel. */
  private static JvmProcess.Builder builder() {
    return JvmProcess.builder().output(JvmProcess.Output.SYSTEM_STREAMS).jvmOptions(TEST_JVM);
  }

  @Test
  void exitCode_emptyUntilTheChildExits_thenZeroWhenTheTargetReturns() throws Exception {
    SharedEvent go = m.event();
    JvmProcess p = process(() -> go.await());
    assertEquals(OptionalInt.empty(), p.exitCode());
    assertFalse(p.isAlive());
    assertTrue(p.pid().isEmpty());

    p.start();
    assertTrue(p.pid().isPresent());
    assertTrue(p.isAlive());
    assertEquals(OptionalInt.empty(), p.exitCode(), "still waiting for the event");
    go.set();
    p.join();
    assertFalse(p.isAlive());
    assertEquals(OptionalInt.of(0), p.exitCode());
    assertEquals(Optional.empty(), p.failure());
    assertTrue(ProcessHandle.of(p.pid().getAsLong()).isEmpty(), "the JVM is gone");
  }

  @Test
  void exitCode_oneWhenTheTargetThrows_theParentGetsTheSameExceptionAndTheChildPrintsIt()
      throws Exception {
    JvmProcess p = builder().name("thrower").target(Targets::throwIllegalArgument).build();
    String err = capturingErr(() -> p.start().join());

    assertEquals(OptionalInt.of(1), p.exitCode());
    Throwable failure = p.failure().orElseThrow();
    assertInstanceOf(IllegalArgumentException.class, failure);
    assertEquals("bad amount 42", failure.getMessage());
    assertTrue(
        Arrays.stream(failure.getStackTrace())
            .anyMatch(e -> e.getMethodName().equals("throwIllegalArgument")),
        "the child's stack trace: " + Arrays.toString(failure.getStackTrace()));
    assertTrue(err.contains("Process thrower:"), err);
    assertTrue(err.contains("java.lang.IllegalArgumentException: bad amount 42"), err);
  }

  @Test
  void aCheckedExceptionOfTheTargetArrivesAsItself() throws Exception {
    JvmProcess p = builder().target(Targets::throwIo).build();
    capturingErr(() -> p.start().join());
    assertEquals(OptionalInt.of(1), p.exitCode());
    assertInstanceOf(IOException.class, p.failure().orElseThrow());
    assertEquals("disk on fire", p.failure().orElseThrow().getMessage());
  }

  @Test
  void exitCode_isTheCodeGivenToSystemExit() throws Exception {
    JvmProcess p = builder().target(() -> System.exit(7)).build();
    p.start().join();
    assertEquals(OptionalInt.of(7), p.exitCode());
    assertEquals(Optional.empty(), p.failure());
  }

  @Test
  void joinWithTimeout_returnsFalseForAChildThatRunsOn() throws Exception {
    SharedEvent running = m.event();
    JvmProcess p = process(() -> Targets.signalThenSleep(running));
    p.start();
    try {
      assertTrue(running.await(WAIT), "the target did not start");
      assertFalse(p.join(Duration.ofMillis(200)));
      assertTrue(p.isAlive());
      assertEquals(OptionalInt.empty(), p.exitCode());
    } finally {
      p.kill();
    }
    assertTrue(p.join(WAIT));
    assertEquals(OptionalInt.of(-9), p.exitCode());
  }

  @Test
  void terminate_endsTheChildWithMinusSigterm() throws Exception {
    SharedEvent running = m.event();
    JvmProcess p = process(() -> Targets.signalThenSleep(running));
    p.start();
    assertTrue(running.await(WAIT), "the target did not start");
    p.terminate();
    p.join();
    assertEquals(OptionalInt.of(-15), p.exitCode());
    assertEquals(Optional.empty(), p.failure());
  }

  @Test
  void kill_endsTheChildWithMinusSigkill() throws Exception {
    SharedEvent running = m.event();
    JvmProcess p = process(() -> Targets.signalThenSleep(running));
    p.start();
    assertTrue(running.await(WAIT), "the target did not start");
    p.kill();
    p.join();
    assertEquals(OptionalInt.of(-9), p.exitCode());
    assertFalse(p.isAlive());
  }

  @Test
  void theChildsOutputReachesTheParentLineByLine() throws Exception {
    JvmProcess p = builder().target(Targets::printLines).build();
    String[] err = new String[1];
    String out = capturingOut(() -> err[0] = capturingErr(() -> p.start().join()));
    List<String> lines =
        out.lines().filter(l -> l.startsWith("line ")).collect(Collectors.toList());
    assertEquals(List.of("line 1", "line 2", "line 3 (no newline)"), lines, out);
    assertTrue(err[0].contains("to stderr"), err[0]);
    assertEquals(OptionalInt.of(0), p.exitCode());
  }

  @Test
  void anUnserializableTarget_failsAtStart_andStartsNoJvm() {
    Object notSerializable = new Object();
    JvmProcess p = builder().target(() -> System.out.println(notSerializable)).build();
    Set<Long> before = childPids();
    JvmProcessException e = assertThrows(JvmProcessException.class, p::start);
    assertInstanceOf(NotSerializableException.class, e.getCause());
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    assertTrue(e.getMessage().contains(p.name()), e.getMessage());
    assertEquals(before, childPids(), "no JVM was started");
    assertTrue(p.pid().isEmpty());
    assertFalse(p.isAlive());
    assertThrows(IllegalStateException.class, p::join, "it was not started");
  }

  @Test
  void sharedObjectsWithoutAManager_failAtStart() {
    assumeTrue(
        System.getenv(Manager.ENV_AUTHKEY) == null
            && System.getenv(Manager.ENV_AUTHKEY_FILE) == null,
        "this JVM's environment names a manager's key");
    SharedList<Integer> list = m.list();
    Set<Long> before = childPids();
    JvmProcess p = JvmProcess.of(() -> list.add(1));
    JvmProcessException e = assertThrows(JvmProcessException.class, p::start);
    assertTrue(e.getMessage().contains("JvmProcess.of(manager, target)"), e.getMessage());
    assertEquals(before, childPids());
    assertEquals(List.of(), list.copy());
  }

  @Test
  void aLockHeldByAKilledChildIsReleased_andTheNextProcessProceeds() throws Exception {
    SharedLock lock = m.lock();
    SharedEvent locked = m.event();
    SharedList<String> log = m.list();
    JvmProcess holder = process(() -> Targets.lockThenSleep(lock, locked));
    holder.start();
    assertTrue(locked.await(WAIT), "the first process did not take the lock");
    JvmProcess next = process(() -> Targets.appendUnderLock(lock, log, "next"));
    next.start();
    assertFalse(next.join(Duration.ofMillis(500)), "the lock is held by the first process");
    assertEquals(List.of(), log.copy());

    holder.kill();
    holder.join();
    assertTrue(next.join(WAIT), "the lock was not released when its holder was killed");
    assertEquals(OptionalInt.of(0), next.exitCode());
    assertEquals(List.of("next"), log.copy());
    assertEquals(OptionalInt.of(-9), holder.exitCode());
  }

  @Test
  void aProcessStartsOnce_andHasANameAndADescription() throws Exception {
    JvmProcess p = builder().name("once").target(() -> {}).build();
    assertEquals("once", p.name());
    assertFalse(p.isDaemon());
    assertEquals("JvmProcess[name=once, initial]", p.toString());
    p.start();
    assertThrows(IllegalStateException.class, p::start);
    p.join();
    assertEquals(
        "JvmProcess[name=once, pid=" + p.pid().getAsLong() + ", stopped exitcode=0]", p.toString());
    assertTrue(JvmProcess.of(() -> {}).name().matches("JvmProcess-\\d+"));
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  interface Action {
    void run() throws Exception;
  }

  private static String capturingOut(Action action) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setOut(original);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  private static String capturingErr(Action action) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }
}
