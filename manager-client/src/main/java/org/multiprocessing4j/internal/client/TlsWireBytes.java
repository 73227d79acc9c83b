package org.multiprocessing4j.internal.client;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A connection's bytes through TLS: an {@link SSLEngine} over the non-blocking socket, encrypting
 * what the writer writes ({@code wrap}) and decrypting what the reader reads ({@code unwrap}). The
 * engine comes from the same Netty {@link SslContext} grpc-java's client is given ({@link
 * ClientTls#sslContext}: ALPN {@code h2}, the trusted certificates, the client's own for mutual
 * TLS), and checks the manager's host name as grpc-java's does (endpoint identification "HTTPS").
 *
 * <p>The reader decrypts into a buffer of its own ({@code plainIn}) and keeps what it received but
 * has not decrypted yet ({@code netIn}): either may hold input the socket's selector no longer
 * shows, which {@link #hasBuffered} tells. The writer encrypts into {@code netOut}, a few records
 * at a time, and writes them before it returns. A message the engine must answer while reading (a
 * TLS 1.3 KeyUpdate) is wrapped by the writer path: the reader asks for it through {@code
 * flushSoon}, which never waits for the output lock.
 *
 * <p>Thread safety: one reading thread and one writing thread (the holder of the socket's output
 * lock) at a time, which may run together: the engine allows {@code wrap} and {@code unwrap} on two
 * threads at once (the JDK's engine and Netty's OpenSSL engine each serialize them on a lock of
 * their own); the buffers are each side's own; {@code wrapWanted} is volatile.
 */
final class TlsWireBytes implements WireBytes {
  /** Asks the writer path to write soon, without waiting for the output lock. */
  interface FlushSoon {
    void flushSoon() throws IOException;
  }

  // Netty's OpenSSL engine takes no empty array: nothing to wrap is one empty buffer.
  private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
  private static final int RECORD_HEADER_BYTES = 5;
  // Each buffer holds a few records: a large message moves 64 KiB per system call, as in plaintext.
  private static final int RECORDS_PER_BUFFER = 4;

  private final String peer;
  private final SocketChannel channel;
  private final SSLEngine engine;
  private final Selector writeSelector;
  private final FlushSoon flushSoon;

  // The reader's. Both in read mode: [position, limit) is what is left.
  private ByteBuffer netIn;
  private ByteBuffer plainIn;
  private boolean inboundDone; // the manager closed the connection or its TLS session
  private boolean lastReadFilled; // the last socket read filled netIn: more may wait there

  // The writer's, under the socket's output lock. In read mode: what is left to write.
  private ByteBuffer netOut;
  private final ByteBuffer[] oneBuffer = new ByteBuffer[1];
  private final int packetBytes; // the largest record the engine writes

  // A message of the engine's own must go out (set by the reader, cleared by the writer).
  private volatile boolean wrapWanted;

  private TlsWireBytes(
      String peer,
      SocketChannel channel,
      SSLEngine engine,
      Selector writeSelector,
      FlushSoon flushSoon) {
    this.peer = peer;
    this.channel = channel;
    this.engine = engine;
    this.writeSelector = writeSelector;
    this.flushSoon = flushSoon;
    int packet = engine.getSession().getPacketBufferSize();
    int plain = engine.getSession().getApplicationBufferSize();
    this.netIn = ByteBuffer.allocateDirect(RECORDS_PER_BUFFER * packet).flip();
    this.plainIn = ByteBuffer.allocateDirect(RECORDS_PER_BUFFER * plain).flip();
    this.netOut = ByteBuffer.allocateDirect(RECORDS_PER_BUFFER * packet).flip();
    this.packetBytes = packet;
  }

  /**
   * A client engine for {@code host}: from the context grpc-java's client uses, with the host name
   * checked against the manager's certificate (grpc-java's client sets the same on its engines).
   */
  static SSLEngine clientEngine(SslContext context, String host, int port) {
    SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT, host, port);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    return engine;
  }

  /**
   * Runs the TLS handshake on a connected socket, giving up at {@code deadlineNanos}, and checks
   * that the manager agreed to HTTP/2 (ALPN {@code h2}). Input that arrives with the handshake's
   * end is kept for the first read.
   */
  static TlsWireBytes handshake(
      String peer,
      SocketChannel channel,
      SSLEngine engine,
      Selector readSelector,
      Selector writeSelector,
      long deadlineNanos,
      FlushSoon flushSoon)
      throws IOException {
    TlsWireBytes bytes = new TlsWireBytes(peer, channel, engine, writeSelector, flushSoon);
    bytes.runHandshake(readSelector, deadlineNanos);
    String protocol = engine.getApplicationProtocol();
    if (!"h2".equals(protocol)) {
      throw new IOException(
          "the manager at "
              + peer
              + " did not agree to HTTP/2 in the TLS handshake (ALPN: "
              + (protocol == null || protocol.isEmpty() ? "none" : protocol)
              + "): is it a gRPC server?");
    }
    return bytes;
  }

  private void runHandshake(Selector readSelector, long deadlineNanos) throws IOException {
    engine.beginHandshake();
    while (true) {
      switch (engine.getHandshakeStatus()) {
        case NEED_TASK -> runDelegatedTasks();
        case NEED_WRAP -> {
          wrapWanted = true;
          write(NOTHING, 0, deadlineNanos);
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (!unwrapRecords()) {
            if (inboundDone) {
              throw new SSLException(
                  "the manager at " + peer + " closed the TLS session during the handshake");
            }
            readForHandshake(readSelector, deadlineNanos);
          }
        }
        case FINISHED, NOT_HANDSHAKING -> {
          return;
        }
      }
    }
  }

  private void readForHandshake(Selector readSelector, long deadlineNanos) throws IOException {
    while (true) {
      int n = readSocket();
      if (n < 0) {
        throw new IOException(
            "the manager at "
                + peer
                + " closed the connection during the TLS handshake: does it serve TLS on that"
                + " port?");
      }
      if (n > 0) {
        return;
      }
      long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      if (leftMillis <= 0) {
        throw new SocketTimeoutException(
            "the manager at " + peer + " did not complete the TLS handshake in time");
      }
      readSelector.select(leftMillis);
      readSelector.selectedKeys().clear();
    }
  }

  // --- reading

  @Override
  public int read(ByteBuf into, int max) throws IOException {
    if (!plainIn.hasRemaining()) {
      decrypt();
    }
    int n = Math.min(max, plainIn.remaining());
    if (n == 0) {
      return inboundDone ? -1 : 0;
    }
    int limit = plainIn.limit();
    plainIn.limit(plainIn.position() + n);
    into.writeBytes(plainIn);
    plainIn.limit(limit);
    return n;
  }

  @Override
  public boolean hasBuffered() {
    return plainIn.hasRemaining() || inboundDone || lastReadFilled || wholeRecordIn(netIn);
  }

  private static boolean wholeRecordIn(ByteBuffer net) {
    int left = net.remaining();
    if (left < RECORD_HEADER_BYTES) {
      return false;
    }
    int at = net.position();
    int length = ((net.get(at + 3) & 0xff) << 8) | (net.get(at + 4) & 0xff);
    return left >= RECORD_HEADER_BYTES + length;
  }

  /** Decrypts what is whole in netIn; if that gives nothing, reads the socket once and retries. */
  private void decrypt() throws IOException {
    unwrapRecords();
    if (!plainIn.hasRemaining() && !inboundDone) {
      int n = readSocket();
      if (n < 0) {
        unwrapRecords(); // whatever was whole before the end
        inboundDone = true;
      } else if (n > 0) {
        unwrapRecords();
      }
    }
    if (wrapWanted) {
      flushSoon.flushSoon(); // the writer path wraps the engine's answer
    }
  }

  private int readSocket() throws IOException {
    netIn.compact();
    try {
      int n = channel.read(netIn);
      lastReadFilled = !netIn.hasRemaining();
      return n;
    } finally {
      netIn.flip();
    }
  }

  /**
   * Decrypts the records in netIn into plainIn until a record is incomplete, plainIn is full, the
   * session is closed or the engine has something to write. Whether it consumed anything.
   */
  private boolean unwrapRecords() throws SSLException {
    boolean consumed = false;
    plainIn.compact();
    try {
      while (netIn.hasRemaining()) {
        SSLEngineResult result = engine.unwrap(netIn, plainIn);
        consumed |= result.bytesConsumed() > 0;
        switch (result.getStatus()) {
          case OK -> {}
          case CLOSED -> {
            inboundDone = true; // close_notify: the manager ended the connection
            return consumed;
          }
          case BUFFER_UNDERFLOW -> {
            netIn = roomForOneRecord(netIn, engine.getSession().getPacketBufferSize());
            return consumed;
          }
          case BUFFER_OVERFLOW -> {
            if (plainIn.position() > 0) {
              return consumed; // full: read what it holds first
            }
            plainIn = grownWriting(plainIn, engine.getSession().getApplicationBufferSize());
            continue;
          }
        }
        if (noteWrapWanted(result)) {
          return consumed;
        }
        if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
          return consumed;
        }
      }
      return consumed;
    } finally {
      plainIn.flip();
    }
  }

  /** netIn (read mode) with room for a record of {@code packetBytes} after what it holds. */
  private static ByteBuffer roomForOneRecord(ByteBuffer net, int packetBytes) {
    if (net.capacity() - net.remaining() >= packetBytes) {
      return net;
    }
    ByteBuffer grown = ByteBuffer.allocateDirect(net.remaining() + packetBytes);
    grown.put(net).flip();
    return grown;
  }

  /** An empty buffer in write mode (the one given was empty too) larger by {@code bytes}. */
  private static ByteBuffer grownWriting(ByteBuffer empty, int bytes) {
    return ByteBuffer.allocateDirect(empty.capacity() + bytes);
  }

  // --- writing

  @Override
  public void writeFully(ByteBuffer[] buffers, long remaining) throws IOException {
    write(buffers, remaining, 0);
  }

  @Override
  public void writeFully(ByteBuffer buffer) throws IOException {
    oneBuffer[0] = buffer;
    try {
      write(oneBuffer, buffer.remaining(), 0);
    } finally {
      oneBuffer[0] = null;
    }
  }

  /** Encrypts and writes; {@code deadlineNanos} 0: no deadline. */
  private void write(ByteBuffer[] buffers, long remaining, long deadlineNanos) throws IOException {
    int first = 0;
    while (true) {
      if (!netOut.hasRemaining()) {
        if (remaining == 0 && !wrapWanted) {
          return;
        }
        netOut.clear();
        try {
          while ((remaining > 0 || wrapWanted) && netOut.remaining() >= packetBytes) {
            wrapWanted = false;
            SSLEngineResult result =
                first < buffers.length
                    ? engine.wrap(buffers, first, buffers.length - first, netOut)
                    : engine.wrap(NOTHING, netOut);
            remaining -= result.bytesConsumed();
            while (first < buffers.length && !buffers[first].hasRemaining()) {
              first++;
            }
            switch (result.getStatus()) {
              case OK -> {}
              case CLOSED ->
                  throw new SSLException("the TLS session with the manager at " + peer + " ended");
              case BUFFER_OVERFLOW -> {
                if (netOut.position() == 0) {
                  netOut =
                      ByteBuffer.allocateDirect(
                          netOut.capacity() + engine.getSession().getPacketBufferSize());
                }
                // else: write what netOut holds first
              }
              case BUFFER_UNDERFLOW -> throw new SSLException("TLS wrap: " + result);
            }
            noteWrapWanted(result);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
              break;
            }
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
              if (remaining > 0 && netOut.position() == 0) {
                throw new SSLException(
                    "the TLS engine took none of " + remaining + " bytes (" + result + ")");
              }
              break;
            }
          }
        } finally {
          netOut.flip();
        }
      }
      int n = channel.write(netOut);
      if (n == 0 && netOut.hasRemaining()) {
        awaitRoom(deadlineNanos);
      }
    }
  }

  private void awaitRoom(long deadlineNanos) throws IOException {
    long waitMillis = 1000; // a closed socket ends the wait with an exception from the next write
    if (deadlineNanos != 0) {
      long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      if (leftMillis <= 0) {
        throw new SocketTimeoutException(
            "the manager at " + peer + " did not complete the TLS handshake in time");
      }
      waitMillis = Math.min(waitMillis, leftMillis);
    }
    writeSelector.select(waitMillis);
    writeSelector.selectedKeys().clear();
  }

  /**
   * After a wrap or unwrap: runs the engine's delegated tasks if it asks for them, and whether it
   * now has a message of its own to write (then {@code wrapWanted} is set).
   */
  private boolean noteWrapWanted(SSLEngineResult result) {
    SSLEngineResult.HandshakeStatus status = result.getHandshakeStatus();
    if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
      runDelegatedTasks();
      status = engine.getHandshakeStatus();
    }
    if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
      wrapWanted = true;
      return true;
    }
    return false;
  }

  private void runDelegatedTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run(); // inline: a certificate check takes a moment, and the caller waits for it anyway
    }
  }

  @Override
  public void release() {
    // Netty's OpenSSL engine holds native memory until released; the JDK's holds none.
    ReferenceCountUtil.release(engine);
  }
}
