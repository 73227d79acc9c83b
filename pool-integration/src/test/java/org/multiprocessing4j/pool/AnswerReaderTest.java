package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the parent reads a worker's answer, without a worker: frames built here. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AnswerReaderTest {
  private static final byte[] GARBAGE = {1, 2, 3};

  private final AnswerReader reader = new AnswerReader(AnswerReaderTest.class.getClassLoader());

  private static Wire.Frame frame(FrameKind kind, byte[] payload) {
    return new Wire.Frame(kind, 7, payload);
  }

  private static byte[] failure(Throwable t) throws IOException {
    return Wire.serialize(RemoteFailure.of(t));
  }

  @Test
  void aResult_isItsValue() throws IOException {
    PoolScheduler.Answer answer =
        reader.answer(frame(FrameKind.RESULT, Wire.serialize(List.of(1, 2))), true);
    assertEquals(PoolScheduler.Answer.value(7, List.of(1, 2)), answer);
  }

  @Test
  void aResultHoldingSharedObjects_isReadTheSameWay() throws IOException {
    PoolScheduler.Answer answer =
        reader.answer(frame(FrameKind.RESULT_HOLDING, Wire.serialize("x")), true);
    assertEquals("x", answer.value());
    assertNull(answer.failure());
  }

  @Test
  void aResultThatCannotBeRead_failsTheTask_notTheWorker() {
    PoolScheduler.Answer answer = reader.answer(frame(FrameKind.RESULT, GARBAGE), true);
    assertTrue(answer.read());
    assertInstanceOf(TaskSerializationException.class, answer.failure());
    assertFalse(answer.workerHalts());
  }

  @Test
  void aFailure_isTheSameExceptionType_withTheWorkersStackTrace() throws IOException {
    IllegalArgumentException thrown = new IllegalArgumentException("bad input");
    PoolScheduler.Answer answer = reader.answer(frame(FrameKind.FAILED, failure(thrown)), true);
    IllegalArgumentException read =
        assertInstanceOf(IllegalArgumentException.class, answer.failure());
    assertEquals("bad input", read.getMessage());
    assertArrayEquals(thrown.getStackTrace(), read.getStackTrace());
    assertFalse(answer.workerHalts());
  }

  @Test
  void anOutOfMemoryFailure_saysTheWorkerHalts() throws IOException {
    PoolScheduler.Answer answer =
        reader.answer(
            frame(FrameKind.FAILED_RETIRING, failure(new OutOfMemoryError("Java heap space"))),
            true);
    assertInstanceOf(OutOfMemoryError.class, answer.failure());
    assertTrue(answer.workerHalts());
  }

  @Test
  void anUnwantedAnswer_isNotRead_butStillSaysWhetherTheWorkerHalts() {
    assertEquals(
        PoolScheduler.Answer.unread(7, false),
        reader.answer(frame(FrameKind.RESULT, GARBAGE), false));
    assertEquals(
        PoolScheduler.Answer.unread(7, true),
        reader.answer(frame(FrameKind.FAILED_RETIRING, GARBAGE), false));
  }

  @Test
  void aFailureThatCannotBeRead_isAProcessPoolException() {
    Throwable failure = reader.failure(GARBAGE);
    assertInstanceOf(ProcessPoolException.class, failure);
    assertTrue(
        failure.getMessage().startsWith("a task failed, and its failure could not be read: "),
        failure.getMessage());
  }
}
