package org.multiprocessing4j.internal.client;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Flags;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A large gRPC message written as DATA frames while protobuf encodes it: the bytes go into frames
 * of at most 16 KiB (the size every HTTP/2 peer accepts), a few frames per write, each frame no
 * larger than the send window allows. So a message of any size costs one 64 KiB buffer, not a
 * buffer of its own size (a 64 MiB message in a worker whose direct memory is smaller would fail),
 * and its first bytes are on the wire while the rest is still being encoded.
 *
 * <p>The message's length is known up front (protobuf's serialized size, in gRPC's prefix), so each
 * frame's header is written before its payload: exactly {@code remaining} bytes must follow.
 *
 * <p>Thread safety: not thread-safe; one message at a time, by the thread that holds the
 * transport's message lock.
 */
final class DataFrameOutput extends OutputStream {
  /** Waits until some send window is open (reading the connection meanwhile). */
  interface WindowWait {
    void await() throws IOException;
  }

  /** The frame payload every peer accepts (SETTINGS_MAX_FRAME_SIZE is never below it). */
  static final int FRAME_PAYLOAD_BYTES = Http2CodecUtil.MAX_FRAME_SIZE_LOWER_BOUND;

  private static final int FRAMES_PER_WRITE = 4;
  private static final int HEADER_BYTES = Http2CodecUtil.FRAME_HEADER_LENGTH;

  /** The flags of a DATA frame that neither ends the stream nor is padded; never changed. */
  static final Http2Flags NO_FLAGS = new Http2Flags();

  private final WireSocket socket;
  private final FlowWindows windows;
  private final WindowWait windowWait;
  private final int streamId;
  // Direct: the socket writes it as is. Allocated with the first large message of a connection.
  private final ByteBuf batch =
      Unpooled.wrappedBuffer(
              ByteBuffer.allocateDirect(FRAMES_PER_WRITE * (HEADER_BYTES + FRAME_PAYLOAD_BYTES)))
          .clear();
  private long remaining; // bytes of the current message not yet in a frame
  private int frameRoom; // payload bytes the open frame still expects

  DataFrameOutput(WireSocket socket, FlowWindows windows, WindowWait windowWait, int streamId) {
    this.socket = socket;
    this.windows = windows;
    this.windowWait = windowWait;
    this.streamId = streamId;
  }

  /** Starts a message of {@code bytes} bytes (gRPC's prefix included). */
  void begin(long bytes) {
    if (remaining != 0 || frameRoom != 0) {
      throw new IllegalStateException(remaining + " bytes of the previous message are missing");
    }
    remaining = bytes;
    batch.clear();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (length > remaining + frameRoom) {
      throw new IOException(
          "the message grew while it was written: "
              + length
              + " more bytes, "
              + (remaining + frameRoom)
              + " expected");
    }
    while (length > 0) {
      if (frameRoom == 0) {
        openFrame();
      }
      int n = Math.min(length, frameRoom);
      batch.writeBytes(bytes, offset, n);
      offset += n;
      length -= n;
      frameRoom -= n;
    }
  }

  /** Writes the frames still buffered; the message must be complete. */
  void end() throws IOException {
    if (remaining != 0 || frameRoom != 0) {
      throw new IOException(
          "the message ended " + (remaining + frameRoom) + " bytes short of its announced size");
    }
    writeBatch();
  }

  private void openFrame() throws IOException {
    if (batch.writableBytes() < HEADER_BYTES + 1) {
      writeBatch();
    }
    int wanted =
        (int)
            Math.min(
                remaining, Math.min(FRAME_PAYLOAD_BYTES, batch.writableBytes() - HEADER_BYTES));
    int allowed;
    while ((allowed = windows.take(wanted)) == 0) {
      writeBatch(); // what is written lets the manager read, and send more window
      windowWait.await();
    }
    Http2CodecUtil.writeFrameHeader(batch, allowed, Http2FrameTypes.DATA, NO_FLAGS, streamId);
    remaining -= allowed;
    frameRoom = allowed;
  }

  private void writeBatch() throws IOException {
    if (batch.isReadable()) {
      socket.writeFrame(batch.nioBuffer());
      batch.clear();
    }
  }
}
