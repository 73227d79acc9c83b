package org.multiprocessing4j.internal.client;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * A connection's bytes as they are on the socket: plaintext TCP or a Unix socket.
 *
 * <p>Thread safety: as {@link WireBytes}; the socket channel allows one reader and one writer at a
 * time.
 */
final class PlainWireBytes implements WireBytes {
  private final SocketChannel channel;
  private final Selector writeSelector;

  PlainWireBytes(SocketChannel channel, Selector writeSelector) {
    this.channel = channel;
    this.writeSelector = writeSelector;
  }

  @Override
  public int read(ByteBuf into, int max) throws IOException {
    return into.writeBytes(channel, max);
  }

  @Override
  public boolean hasBuffered() {
    return false; // what the socket holds, the read selector sees
  }

  @Override
  public void writeFully(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.write(buffer) == 0) {
        awaitRoom();
      }
    }
  }

  @Override
  public void writeFully(ByteBuffer[] buffers, long remaining) throws IOException {
    int first = 0;
    while (remaining > 0) {
      long n = channel.write(buffers, first, buffers.length - first);
      remaining -= n;
      if (remaining > 0) {
        while (!buffers[first].hasRemaining()) {
          first++;
        }
        if (n == 0) {
          awaitRoom();
        }
      }
    }
  }

  /**
   * The manager is not reading as fast: waits for room, a second at a time (a closed socket ends
   * the wait with an exception from the next write).
   */
  private void awaitRoom() throws IOException {
    writeSelector.select(1000);
    writeSelector.selectedKeys().clear();
  }

  @Override
  public void release() {
    // nothing besides the socket
  }
}
