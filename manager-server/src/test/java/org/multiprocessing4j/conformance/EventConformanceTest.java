package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.SharedEvent;

/** Spec §4.5 (Event) cases 25–27, plus cancellation. */
abstract class EventConformanceTest extends SyncConformanceBase {

  // --- case 25: test_event

  @Test
  void event_waitReturnsTheFlag() throws Exception {
    SharedEvent e = m.event();
    assertFalse(e.isSet());
    assertFalse(e.await(Duration.ZERO));
    long start = System.nanoTime();
    assertFalse(e.await(SHORT));
    assertTrue(millisSince(start) >= SHORT.toMillis());

    e.set();
    assertTrue(e.isSet());
    e.await();
    assertTrue(e.await(SHORT));

    e.clear();
    CountDownLatch started = new CountDownLatch(1);
    Future<?> proc =
        startProcess(
            client -> {
              SharedEvent mine = via(client, e);
              started.countDown();
              // Python sleeps 0.1 s first; waiting until the parent is parked orders it for sure.
              QueueConformanceTest.waitUntil(() -> mine.toString().contains("1 waiting"));
              mine.set();
            });
    started.await();
    e.await();
    join(proc);
  }

  // --- case 26: test_repr

  @Test
  void toString_describesTheEvent() {
    SharedEvent e = m.event();
    assertTrue(e.toString().startsWith("<Event unset"), e.toString());
    e.set();
    assertTrue(e.toString().startsWith("<Event set"), e.toString());
  }

  // --- case 27: test_event (TestSyncManagerTypes)

  @Test
  void event_childSeesAndClearsTheFlag() throws Exception {
    SharedEvent o = m.event();
    o.set();
    join(
        startProcess(
            client -> {
              SharedEvent co = via(client, o);
              assertTrue(co.isSet());
              co.await();
              co.clear();
              assertFalse(co.await(Duration.ofMillis(1)));
            }));
    assertFalse(o.isSet());
    assertFalse(o.await(Duration.ofMillis(1)));
  }

  @Test
  void set_wakesEveryWaiter() throws Exception {
    SharedEvent e = m.event();
    Future<?> a = startProcess(client -> via(client, e).await());
    Future<?> b = startProcess(client -> assertTrue(via(client, e).await(LONG)));
    QueueConformanceTest.waitUntil(() -> e.toString().contains("2 waiting"));
    e.set();
    join(a);
    join(b);
  }

  @Test
  void await_negativeTimeoutIsRefused() {
    SharedEvent e = m.event();
    assertThrows(IllegalArgumentException.class, () -> e.await(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> e.await(null));
  }

  @Test
  void await_interruptedWaiterIsWithdrawn() throws Exception {
    SharedEvent e = m.event();
    assertInterruptedWhileParked(() -> e.await(), () -> e.toString().contains("1 waiting"));
    QueueConformanceTest.waitUntil(() -> e.toString().contains("0 waiting"));
  }
}
