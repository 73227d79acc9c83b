package org.multiprocessing4j.internal.client;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelDuplexHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.embedded.EmbeddedChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameListener;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameWriter;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;

/**
 * The socket of one HTTP/2 connection and its frame I/O: frames are written with Netty's {@link
 * DefaultHttp2FrameWriter} and read with its {@link DefaultHttp2FrameReader} (HPACK included), both
 * given a context by an {@link EmbeddedChannel} that only allocates and collects the frames' bytes;
 * the bytes themselves travel on a non-blocking {@link SocketChannel} (TCP or Unix domain), waited
 * for with a selector, because a thread blocked in a blocking channel's read closes the channel
 * when interrupted, and a waiting caller must be interruptible. Beneath the frames, {@link
 * WireBytes} carries the bytes: as they are, or through TLS ({@link TlsWireBytes}).
 *
 * <p>Thread safety: writing is thread-safe, under {@code outputLock}; {@link #writeSoon} never
 * waits for it (a frame that finds it taken is written by its holder before letting go). Reading is
 * for one thread at a time (the {@link ReaderRole} leader).
 */
final class WireSocket implements Closeable {
  /** A frame (or frames) to write; runs with the writer and context under the output lock. */
  interface FrameWrite {
    void writeTo(Http2FrameWriter writer, ChannelHandlerContext context) throws Http2Exception;
  }

  private static final int READ_BYTES = 64 * 1024;
  private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];
  private static final long CONNECT_TIMEOUT_MILLIS = 10_000;

  private SocketChannel channel; // set once, by connect(), before any other use
  private WireBytes bytes; // set once, by connect(), before any other use
  private final Selector readSelector;
  private final Selector writeSelector;
  private final EmbeddedChannel codec = new EmbeddedChannel(new ChannelDuplexHandler());
  private final ChannelHandlerContext context = codec.pipeline().firstContext();
  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader(true);
  // On the heap: garbage-collected with the connection, whichever thread read last.
  private final ByteBuf input = Unpooled.buffer(2 * READ_BYTES);
  private final ReentrantLock outputLock = new ReentrantLock();
  private final Queue<FrameWrite> deferred = new ConcurrentLinkedQueue<>();

  @GuardedBy("outputLock")
  private final List<ByteBuf> written = new ArrayList<>();

  // Whether the codec holds frames not yet written: a call's own frame, encoded by the caller,
  // then skips Netty's pipeline (its flush and outbound queue) altogether. Set before connecting:
  // the opening frames are encoded first.
  @GuardedBy("outputLock")
  private boolean framesInCodec = true;

  private final Object lifecycle = new Object();

  @GuardedBy("lifecycle")
  private boolean closed; // guarded by lifecycle: no wake-up for a closed selector

  private WireSocket() throws IOException {
    this.readSelector = Selector.open();
    this.writeSelector = Selector.open();
  }

  /**
   * Connects to a TCP or Unix-domain address, plaintext or, with {@code tls} (not null), through
   * the TLS handshake with that engine; gives up after 10 s. The codec and selectors are made
   * first: a new JVM loads Netty's classes meanwhile, and a connection must not sit silent that
   * long (a manager under load has been seen to drop one).
   */
  static WireSocket connect(SocketAddress address, SSLEngine tls, FrameWrite opening)
      throws IOException {
    long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MILLIS);
    WireSocket socket;
    try {
      socket = new WireSocket();
    } catch (IOException | RuntimeException e) {
      if (tls != null) {
        ReferenceCountUtil.release(tls);
      }
      throw e;
    }
    try {
      // The opening frames are encoded before connecting, written right after.
      try {
        opening.writeTo(socket.writer, socket.context);
      } catch (Http2Exception e) {
        throw new IOException("cannot encode the opening frames: " + e.getMessage(), e);
      }
      socket.channel = open(address, deadlineNanos);
      socket.channel.register(socket.readSelector, SelectionKey.OP_READ);
      socket.channel.register(socket.writeSelector, SelectionKey.OP_WRITE);
      if (tls == null) {
        socket.bytes = new PlainWireBytes(socket.channel, socket.writeSelector);
      } else {
        socket.bytes =
            TlsWireBytes.handshake(
                address instanceof InetSocketAddress inet
                    ? inet.getHostString() + ":" + inet.getPort()
                    : address.toString(),
                socket.channel,
                tls,
                socket.readSelector,
                socket.writeSelector,
                deadlineNanos,
                () -> socket.writeSoon((writer, context) -> {}));
      }
      socket.write((writer, context) -> {});
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      if (tls != null && socket.bytes == null) {
        ReferenceCountUtil.release(tls); // else closing the socket released it
      }
      throw e;
    }
  }

  private static SocketChannel open(SocketAddress address, long deadlineNanos) throws IOException {
    SocketChannel channel =
        SocketChannel.open(
            address instanceof UnixDomainSocketAddress
                ? java.net.StandardProtocolFamily.UNIX
                : ((InetSocketAddress) address).getAddress() instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6
                    : java.net.StandardProtocolFamily.INET);
    try {
      if (address instanceof InetSocketAddress) {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
      }
      if (address instanceof UnixDomainSocketAddress) {
        // Blocking: a non-blocking connect to a Unix socket whose backlog is full fails with
        // EAGAIN, which the JDK reports as a pending connection that then "finishes" unconnected.
        channel.connect(address);
      }
      channel.configureBlocking(false);
      if (!channel.isConnected() && !channel.connect(address)) {
        try (Selector connecting = Selector.open()) {
          channel.register(connecting, SelectionKey.OP_CONNECT);
          while (!channel.finishConnect()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
              throw new java.net.SocketTimeoutException(
                  "no connection to " + address + " within " + CONNECT_TIMEOUT_MILLIS + " ms");
            }
            connecting.select(left);
          }
        }
      }
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  ByteBufAllocator allocator() {
    return context.alloc();
  }

  /** The frame reader's settings (frame size, header list limits): for the reading thread. */
  DefaultHttp2FrameReader reader() {
    return reader;
  }

  /** Writes now, waiting for the output lock and for the socket; deferred frames go first. */
  void write(FrameWrite frames) throws IOException {
    outputLock.lock();
    try {
      writeDeferredLocked();
      frames.writeTo(writer, context);
      framesInCodec = true;
      flushLocked(null);
    } catch (Http2Exception e) {
      throw new IOException("cannot write an HTTP/2 frame: " + e.getMessage(), e);
    } finally {
      outputLock.unlock();
    }
    writeDeferred();
  }

  /**
   * Writes one frame already encoded (a small DATA frame), after any deferred frames, in the same
   * system call when there are some; waits for the output lock and for the socket.
   */
  void writeFrame(ByteBuffer frame) throws IOException {
    outputLock.lock();
    try {
      writeDeferredLocked();
      flushLocked(frame);
    } catch (Http2Exception e) {
      throw new IOException("cannot write an HTTP/2 frame: " + e.getMessage(), e);
    } finally {
      outputLock.unlock();
    }
    writeDeferred();
  }

  /**
   * Writes now if nobody else is writing, else leaves the frames to the thread that is, which
   * writes them before it lets go of the socket. Never waits for another writer: the reading thread
   * answers PINGs, SETTINGS and windows through here while a writer may wait for it.
   */
  void writeSoon(FrameWrite frames) throws IOException {
    deferred.add(frames);
    writeDeferred();
  }

  private void writeDeferred() throws IOException {
    while (!deferred.isEmpty() && outputLock.tryLock()) {
      try {
        writeDeferredLocked();
        flushLocked(null);
      } catch (Http2Exception e) {
        throw new IOException("cannot write an HTTP/2 frame: " + e.getMessage(), e);
      } finally {
        outputLock.unlock();
      }
    }
  }

  @GuardedBy("outputLock")
  private void writeDeferredLocked() throws Http2Exception {
    FrameWrite frames;
    while ((frames = deferred.poll()) != null) {
      frames.writeTo(writer, context);
      framesInCodec = true;
    }
  }

  /**
   * Writes every frame the codec produced, then {@code encoded} (if not null), to the socket in one
   * gathering write, waiting while the socket is full.
   */
  @GuardedBy("outputLock")
  private void flushLocked(ByteBuffer encoded) throws IOException {
    if (!framesInCodec) {
      if (encoded != null) {
        bytes.writeFully(encoded);
      }
      return;
    }
    framesInCodec = false;
    codec.flush();
    Object message;
    while ((message = codec.readOutbound()) != null) {
      written.add((ByteBuf) message);
    }
    try {
      if (written.isEmpty()) {
        if (encoded != null) {
          bytes.writeFully(encoded);
        } else {
          bytes.writeFully(NO_BUFFERS, 0); // TLS may owe the manager a message of its own
        }
        return;
      }
      List<ByteBuffer> buffers = new ArrayList<>(written.size() + 1);
      long remaining = 0;
      for (ByteBuf buf : written) {
        remaining += buf.readableBytes();
        for (ByteBuffer nio : buf.nioBuffers()) {
          buffers.add(nio);
        }
      }
      if (encoded != null) {
        remaining += encoded.remaining();
        buffers.add(encoded);
      }
      bytes.writeFully(buffers.toArray(new ByteBuffer[0]), remaining);
    } finally {
      written.forEach(ByteBuf::release);
      written.clear();
    }
  }

  /**
   * Waits at most {@code timeoutMillis} for input, reads what is there and hands each complete
   * frame to {@code listener}; a partial frame waits for the next call. Returns false once the
   * manager closed the connection. Returns early when {@link #wakeReader woken} or interrupted.
   */
  boolean readFrames(long timeoutMillis, Http2FrameListener listener)
      throws IOException, Http2Exception {
    if (!bytes.hasBuffered()) { // TLS may hold input the selector no longer shows
      int ready = readSelector.select(timeoutMillis);
      readSelector.selectedKeys().clear();
      if (ready == 0) {
        return channel.isOpen();
      }
    }
    while (true) {
      input.ensureWritable(READ_BYTES);
      int writable = input.writableBytes();
      int n = bytes.read(input, writable);
      if (n < 0) {
        return false;
      }
      if (n == 0) {
        return true;
      }
      reader.readFrame(context, input, listener);
      input.discardSomeReadBytes();
      if (n < writable && !bytes.hasBuffered()) {
        return true; // the socket is drained: no second read that would find nothing
      }
    }
  }

  /** Makes a {@link #readFrames} in progress return. */
  void wakeReader() {
    synchronized (lifecycle) {
      if (!closed) {
        readSelector.wakeup();
      }
    }
  }

  boolean isOpen() {
    return channel.isOpen();
  }

  /** Closes the socket; a thread reading or waiting to write returns at once. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    if (bytes != null) {
      bytes.release();
    }
    // Closing a selector wakes a thread selecting on it first.
    try {
      readSelector.close();
    } catch (IOException e) {
      // closing anyway
    }
    try {
      writeSelector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
