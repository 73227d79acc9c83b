package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.SharedPipe;

/**
 * Pipes (Python's {@code Pipe()}; the spec has no conformance cases for them through a manager).
 */
abstract class PipeTest extends SyncConformanceBase {

  @Test
  void pipe_duplexEndsTalkBothWaysInOrder() throws Exception {
    SharedPipe pipe = m.pipe();
    SharedConnection a = pipe.first();
    SharedConnection b = pipe.second();
    assertNotEquals(a, b);
    a.send("hello");
    a.send(List.of(1, 2));
    a.send(null);
    b.send(Map.of("k", 42L));
    assertEquals("hello", b.recv());
    assertEquals(List.of(1, 2), b.recv());
    assertNull(b.recv());
    assertEquals(Map.of("k", 42L), a.recv());
    assertFalse(a.poll());
    assertFalse(b.poll());
  }

  @Test
  void pipe_endsWorkFromAnotherProcess() throws Exception {
    SharedPipe pipe = m.pipe();
    Future<?> child =
        startProcess(
            client -> {
              SharedConnection mine = via(client, pipe.second());
              for (int i = 0; i < 5; i++) {
                mine.send(i);
              }
              assertEquals("ack", mine.recv());
              mine.close();
            });
    for (int i = 0; i < 5; i++) {
      assertEquals(i, pipe.first().recv());
    }
    pipe.first().send("ack");
    join(child);
    assertThrows(EOFException.class, pipe.first()::recv);
  }

  @Test
  void recv_blockedReceiverGetsTheNextValue() throws Exception {
    SharedPipe pipe = m.pipe();
    AtomicReference<Object> got = new AtomicReference<>();
    Future<?> child = startProcess(client -> got.set(via(client, pipe.second()).recv()));
    awaitWaiting(pipe.second(), 1);
    pipe.first().send("x");
    join(child);
    assertEquals("x", got.get());
  }

  @Test
  void recv_afterTheOtherEndClosedDrainsThenThrowsEof() throws Exception {
    SharedPipe pipe = m.pipe();
    pipe.first().send(1);
    pipe.first().send(2);
    pipe.first().close();
    assertTrue(pipe.first().isClosed());
    assertTrue(pipe.second().poll(), "data left");
    assertEquals(1, pipe.second().recv());
    assertEquals(2, pipe.second().recv());
    assertTrue(pipe.second().poll(), "at end of stream recv does not block either");
    EOFException e = assertThrows(EOFException.class, pipe.second()::recv);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void recv_blockedReceiverGetsEofWhenTheOtherEndCloses() throws Exception {
    SharedPipe pipe = m.pipe();
    Future<?> child =
        startProcess(client -> assertThrows(EOFException.class, via(client, pipe.second())::recv));
    awaitWaiting(pipe.second(), 1);
    pipe.first().close();
    join(child);
  }

  /** Waits until {@code n} recv/poll calls are parked on {@code end} (a manager-side fact). */
  private static void awaitWaiting(SharedConnection end, int n) throws InterruptedException {
    QueueConformanceTest.waitUntil(() -> end.toString().contains(", " + n + " waiting"));
  }

  @Test
  void closedEnds_refuseUseAndSendersSeeABrokenPipe() throws Exception {
    SharedPipe pipe = m.pipe();
    pipe.second().close();
    pipe.second().close(); // idempotent
    assertThrows(IllegalStateException.class, () -> pipe.second().send("x"));
    assertThrows(IllegalStateException.class, pipe.second()::recv);
    IllegalStateException broken =
        assertThrows(IllegalStateException.class, () -> pipe.first().send("x"));
    assertTrue(broken.getMessage().contains("other end"), broken.getMessage());
  }

  @Test
  void oneWayPipe_firstReceivesSecondSends() throws Exception {
    SharedPipe pipe = m.pipe(false);
    SharedConnection reader = pipe.first();
    SharedConnection writer = pipe.second();
    writer.send("one way");
    assertEquals("one way", reader.recv());
    assertThrows(IllegalStateException.class, () -> reader.send("back"));
    assertThrows(IllegalStateException.class, writer::recv);
    assertThrows(IllegalStateException.class, writer::poll);
  }

  @Test
  void poll_waitsForDataOrTimesOut() throws Exception {
    SharedPipe pipe = m.pipe();
    long start = System.nanoTime();
    assertFalse(pipe.second().poll(SHORT));
    assertTrue(millisSince(start) >= SHORT.toMillis());
    assertFalse(pipe.second().poll(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> pipe.second().poll(Duration.ofMillis(-1)));
    Future<?> child = startProcess(client -> assertTrue(via(client, pipe.second()).poll(LONG)));
    awaitWaiting(pipe.second(), 1);
    pipe.first().send("data");
    join(child);
    assertEquals("data", pipe.second().recv(), "poll consumed nothing");
  }

  @Test
  void recv_interruptedReceiverLosesNothing() throws Exception {
    SharedPipe pipe = m.pipe();
    assertInterruptedWhileParked(
        () -> pipe.second().recv(), () -> pipe.second().toString().contains(", 1 waiting"));
    awaitWaiting(pipe.second(), 0);
    pipe.first().send("kept");
    assertEquals("kept", pipe.second().recv());
  }

  @Test
  void sessionEnd_ofTheOnlyHolderOfAnEndGivesThePeerEof() throws Exception {
    Manager child = newClient();
    SharedPipe childsPipe = child.pipe(); // only the child holds the second end
    SharedConnection mine = via(m, childsPipe.first());
    childsPipe.second().send("last words");
    child.close(); // the child process dies: its end is freed, hence closed
    assertEquals("last words", mine.recv());
    assertTrue(mine.poll(), "end of stream: recv would not block");
    assertThrows(EOFException.class, mine::recv);
    assertThrows(IllegalStateException.class, () -> mine.send("nobody listens"));
  }

  @Test
  void pipe_closeClosesBothEnds() {
    SharedPipe pipe = m.pipe();
    pipe.close();
    assertTrue(pipe.first().isClosed());
    assertTrue(pipe.second().isClosed());
  }
}
