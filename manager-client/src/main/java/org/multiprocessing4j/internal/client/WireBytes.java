package org.multiprocessing4j.internal.client;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The bytes of one connection, beneath the HTTP/2 frames of {@link WireSocket}: as they are on the
 * socket ({@link PlainWireBytes}) or through TLS ({@link TlsWireBytes}). The socket is
 * non-blocking; waiting for input is {@link WireSocket}'s (its read selector), waiting for room to
 * write is the implementation's.
 *
 * <p>Thread safety: {@link #read} and {@link #hasBuffered} are for the reading thread (one at a
 * time), {@link #writeFully} for the thread holding the socket's output lock; the two may run at
 * the same time.
 */
interface WireBytes {
  /**
   * Reads what can be read without waiting, at most {@code max} bytes, into {@code into} (advancing
   * its writer index): the number of bytes, 0 if none is there yet, -1 once the manager closed the
   * connection (TLS: or its TLS session).
   */
  int read(ByteBuf into, int max) throws IOException;

  /**
   * More input may be ready without the socket becoming readable (TLS: bytes decrypted, or a whole
   * record received, and not yet read): the reader must read before it waits.
   */
  boolean hasBuffered();

  /**
   * Writes {@code remaining} bytes, the rest of {@code buffers}, waiting while the socket is full.
   * With nothing to write, still sends what the connection itself owes (TLS: a post-handshake
   * answer).
   */
  void writeFully(ByteBuffer[] buffers, long remaining) throws IOException;

  /**
   * As {@link #writeFully(ByteBuffer[], long)} for one buffer (plaintext: a write(2), not a
   * writev(2)).
   */
  void writeFully(ByteBuffer buffer) throws IOException;

  /** Frees what the connection holds besides the socket (which {@link WireSocket} closes). */
  void release();
}
