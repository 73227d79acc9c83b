package org.multiprocessing4j.internal.client;

import java.util.concurrent.Future;
import org.multiprocessing4j.proto.v1.ClientMessage;

/**
 * How one session's messages travel to and from the manager: the gRPC {@code Session} stream,
 * either over grpc-java's client ({@link GrpcStreamTransport}: in-process, or chosen with {@code
 * -Dmp4j.transport=grpc-java}) or over our blocking HTTP/2 client ({@link WireTransport}: TCP,
 * plaintext or TLS, and Unix sockets, where the calling thread writes and reads the socket itself).
 * The manager's messages, the stream's status and broken connections reach the session's {@link
 * io.grpc.stub.StreamObserver}, given when the transport is made.
 *
 * <p>Thread safety: implementations are thread-safe; {@link #send} callers serialize on the
 * session's send lock, so messages leave in the order the session chose.
 */
interface SessionTransport {

  /** Sends one message on the stream; throws a RuntimeException if the connection broke. */
  void send(ClientMessage message);

  /**
   * Sends a message whose order among the others does not matter (a {@code Pong}), from any thread,
   * including the one reading replies, without waiting for the session's send lock.
   */
  void sendUnordered(ClientMessage message);

  /** Runs {@code drain}, which sends the session's queued asynchronous requests, soon. */
  void drainSoon(Runnable drain);

  /** A reply the application will not wait for on a thread of its own (a pipelined call). */
  void expectReplyWithoutWaiter(Future<?> reply);

  /**
   * Returns once {@code reply} is done, reading the manager's messages meanwhile if this transport
   * is driven by its callers. {@code interruptibly}: an interrupt throws; otherwise it is kept for
   * the caller and the wait goes on.
   */
  void await(Future<?> reply, boolean interruptibly) throws InterruptedException;

  /** As {@link #await}, interruptible, giving up after {@code timeoutNanos}; false on time-out. */
  boolean await(Future<?> reply, long timeoutNanos) throws InterruptedException;

  /** Ends our side of the stream: the manager ends the session cleanly. */
  void halfClose();

  /** Closes the connection (waiting a moment for a clean end), after which nothing more arrives. */
  void shutdown();
}
