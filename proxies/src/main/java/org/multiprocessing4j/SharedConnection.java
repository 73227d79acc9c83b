package org.multiprocessing4j;

import java.io.EOFException;
import java.time.Duration;

/**
 * One end of a {@link SharedPipe} (Python's {@code Connection} from {@code Pipe()}): {@link #send}
 * to the other end, {@link #recv} what the other end sent, in order. Values are copies of the value
 * model ({@code null} included). Each end is its own shared object and may be handed to another
 * process on its own (serialize the proxy).
 *
 * <p>End of stream: when the other end is closed, or freed because every proxy of it is gone (its
 * process exited or was killed), {@link #recv()} returns what is left and then throws {@link
 * EOFException}. Sending to an end whose other end is closed, using a closed end, or using the
 * wrong end of a one-way pipe throws {@link IllegalStateException} (Python raises {@code
 * OSError}/{@code BrokenPipeError}).
 *
 * <p>A blocked {@code recv} or {@code poll} waits on the manager without costing it a thread; an
 * interrupted {@code recv} is withdrawn there, so no value is lost.
 *
 * <p>Thread-safe: several threads may receive from one end; each value goes to one of them.
 */
public interface SharedConnection extends SharedObject, AutoCloseable {

  /** Sends a copy of {@code value} to the other end; never blocks (the pipe is unbounded). */
  void send(Object value);

  /**
   * Receives the next value, waiting as long as needed.
   *
   * @throws EOFException if the other end is closed and nothing is left
   */
  Object recv() throws EOFException, InterruptedException;

  /** True if {@link #recv()} would not block now (a value is there, or end of stream). */
  boolean poll();

  /**
   * Waits at most {@code timeout} until {@link #recv()} would not block.
   *
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  boolean poll(Duration timeout) throws InterruptedException;

  /** Closes this end: the other end's readers get end-of-stream. Idempotent. */
  @Override
  void close();

  /** True once {@link #close()} was called on this end (Python's {@code closed}). */
  boolean isClosed();
}
