package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.internal.client.ClientInternals;
import org.multiprocessing4j.testsupport.HostedManager;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * The manager of the conformance tests of spec §4.1–§4.8 and §4.10, in the tier a concrete subclass
 * names with {@link WithManager} (Apache Ratis's pattern: the suite is written once, and an empty
 * subclass per tier binds it). Python's "proc" (a separate process using the same proxies) is a
 * thread with its <em>own client session</em>: to the manager that is exactly another process
 * (ownership, session-end release); the multi-JVM versions are in {@code it-tests}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class SyncConformanceBase {
  static final byte[] KEY = "sync-conformance-key".getBytes(StandardCharsets.UTF_8);

  /** Python's TIMEOUT1..3 and DELTA. */
  static final Duration SHORT = Duration.ofMillis(100);

  static final Duration LONG = Duration.ofSeconds(30);

  /** The manager; the extension closes it (and {@link #newClient()}'s sessions) after the class. */
  HostedManager hosted;

  Manager m;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** A blocking call of the proxy under test (its result, if any, is not needed). */
  interface BlockingCall {
    void run() throws Exception;
  }

  /** The body of a simulated process: gets its own connected Manager. */
  interface ProcessBody {
    void run(Manager client) throws Exception;
  }

  @BeforeAll
  void startManager(HostedManager hosted) {
    this.hosted = hosted;
    this.m = hosted.manager();
  }

  @AfterAll
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** A new client session: to the manager, another process. Closed after the class. */
  Manager newClient() {
    return hosted.connect();
  }

  /** The same shared object, through {@code client}'s session (a new reference there). */
  @SuppressWarnings("unchecked")
  static <T extends SharedObject> T via(Manager client, T proxy) {
    return (T) ClientInternals.attach(client, proxy.objectId(), proxy.typeId());
  }

  /**
   * The manager's own description of a referent (waiters, size, ...): what {@code toString()}
   * showed before collection proxies rendered their elements.
   */
  static String managerView(Manager via, SharedObject proxy) {
    return ClientInternals.describe(via, proxy);
  }

  /** Python's {@code Process(target=body).start()}: a thread with its own session. */
  Future<?> startProcess(ProcessBody body) {
    Manager client = newClient();
    return threads.submit(
        () -> {
          body.run(client);
          return null;
        });
  }

  /** Python's {@code [Process(target=body) for _ in range(count)]}, each started. */
  List<Future<?>> startProcesses(int count, ProcessBody body) {
    List<Future<?>> processes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      processes.add(startProcess(body));
    }
    return processes;
  }

  /** A thread of this process (same session as {@link #m}). */
  Future<?> startThread(ProcessBody body) {
    return threads.submit(
        () -> {
          body.run(m);
          return null;
        });
  }

  /** Python's {@code p.join()} plus "exit code 0": rethrows the body's failure. */
  static void join(Future<?> process) throws InterruptedException {
    try {
      process.get(LONG.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the process failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the process did not finish within " + LONG, e);
    }
  }

  /** {@link #join} of each process, in order. */
  static void joinAll(List<Future<?>> processes) throws InterruptedException {
    for (Future<?> process : processes) {
      join(process);
    }
  }

  static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Polls {@code condition} until it holds; fails after {@link #LONG}. */
  static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within " + LONG);
      }
      Thread.sleep(5);
    }
  }

  /**
   * Runs {@code wait} on a new thread of this process, waits until {@code parked} shows its call
   * parked on the manager, interrupts the thread and asserts that the call threw {@link
   * InterruptedException} (not another exception, and did not return).
   */
  static void assertInterruptedWhileParked(BlockingCall wait, BooleanSupplier parked)
      throws InterruptedException {
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                wait.run();
                outcome.set("returned normally");
              } catch (Exception e) {
                outcome.set(e);
              }
            });
    waiter.start();
    waitUntil(parked);
    waiter.interrupt();
    waiter.join();
    assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
  }

  /**
   * The queue-position contract of an uninterruptible wait ({@code ReentrantLock.lock()}, {@code
   * Semaphore.acquireUninterruptibly()}): an interrupt neither ends it nor sends it to the back of
   * the manager's queue.
   *
   * <p>{@code acquire} (the uninterruptible wait) starts on a new thread; {@code parkFirst} returns
   * once it is parked in the queue. Then {@code acquireElsewhere} (another process) queues behind
   * it. The first thread is interrupted 20 times, each time until both are parked again, then
   * {@code grant} hands one grant over. The first thread must get it, with its interrupt status
   * set; it then runs {@code passOn}, which lets the other process through. {@code parked.test(n)}:
   * n calls are parked in the queue.
   */
  void assertKeepsItsPlaceThroughInterrupts(
      Runnable acquire,
      BlockingCall parkFirst,
      ProcessBody acquireElsewhere,
      IntPredicate parked,
      Runnable grant,
      Runnable passOn)
      throws Exception {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread first =
        new Thread(
            () -> {
              acquire.run();
              interruptedAfter.set(Thread.currentThread().isInterrupted());
              order.add("first");
              passOn.run(); // on this thread: an rlock is its owner's to release
            });
    first.start();
    parkFirst.run();
    waitUntil(() -> parked.test(1));
    Future<?> second =
        startProcess(
            client -> {
              acquireElsewhere.run(client);
              order.add("second");
            });
    waitUntil(() -> parked.test(2));
    for (int i = 0; i < 20; i++) {
      first.interrupt();
      // A wait withdrawn by the interrupt would come back behind the second one.
      waitUntil(() -> parked.test(2));
    }
    grant.run();
    waitUntil(() -> !order.isEmpty());
    assertEquals("first", order.get(0), "the interrupted waiter kept its place");
    first.join(LONG.toMillis());
    join(second);
    assertEquals(List.of("first", "second"), order);
    assertEquals(true, interruptedAfter.get(), "the interrupt status was kept");
  }

  /**
   * Runs {@code wait}, an uninterruptible wait, on a new thread of this process; once {@code
   * parked} shows it parked on the manager, interrupts the thread, waits until it is parked again
   * (an interrupt may withdraw and reissue it), runs {@code release}, and asserts that the wait
   * then returned with the interrupt status still set.
   */
  static void assertWaitsThroughAnInterrupt(Runnable wait, BooleanSupplier parked, Runnable release)
      throws InterruptedException {
    AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              wait.run();
              interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
    waiter.start();
    waitUntil(parked);
    waiter.interrupt();
    waitUntil(parked);
    release.run();
    waiter.join();
    assertEquals(true, interruptedAfter.get(), "the interrupt status was kept");
  }
}
