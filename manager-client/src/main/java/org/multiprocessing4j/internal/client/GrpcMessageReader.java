package org.multiprocessing4j.internal.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.multiprocessing4j.proto.v1.ServerMessage;

/**
 * Cuts the manager's gRPC messages (a 5-byte prefix: compressed flag and length, then the protobuf)
 * out of the DATA frames of the session stream. A message may span many frames and a frame may hold
 * many messages; one that lies whole in a frame is parsed where it lies, a longer one is gathered
 * in a buffer that grows as its bytes arrive (a length alone never allocates).
 *
 * <p>Thread safety: not thread-safe; used only by the connection's current reader.
 */
final class GrpcMessageReader {
  private static final int PREFIX_BYTES = 5;
  private static final int FIRST_BUFFER_BYTES = 64 * 1024;

  /** Receives each message read. */
  interface Sink {
    void message(ServerMessage message);
  }

  /** A message the manager sent was not a valid gRPC message. */
  static final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final int maxMessageBytes;
  private final byte[] prefix = new byte[PREFIX_BYTES];
  private int prefixFilled;
  private int bodyLength = -1; // -1: reading a prefix
  private byte[] body;
  private int bodyFilled;

  GrpcMessageReader(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Whether a message has begun and not ended: the stream may not end here. */
  boolean midMessage() {
    return prefixFilled > 0 || bodyLength >= 0;
  }

  /** Consumes all of {@code data}, handing every message it completes to {@code sink}. */
  void read(ByteBuf data, Sink sink) throws MalformedMessageException {
    while (data.isReadable()) {
      if (bodyLength < 0) {
        if (prefixFilled == 0 && data.readableBytes() >= PREFIX_BYTES) {
          int length =
              lengthOf(data.getByte(data.readerIndex()), data.getInt(data.readerIndex() + 1));
          if (data.readableBytes() - PREFIX_BYTES >= length) {
            // The whole message is in this frame: parse it where it lies.
            data.skipBytes(PREFIX_BYTES);
            sink.message(parse(data.slice(data.readerIndex(), length)));
            data.skipBytes(length);
            continue;
          }
        }
        int take = Math.min(PREFIX_BYTES - prefixFilled, data.readableBytes());
        data.readBytes(prefix, prefixFilled, take);
        prefixFilled += take;
        if (prefixFilled < PREFIX_BYTES) {
          return;
        }
        prefixFilled = 0;
        bodyLength =
            lengthOf(
                prefix[0],
                ((prefix[1] & 0xff) << 24)
                    | ((prefix[2] & 0xff) << 16)
                    | ((prefix[3] & 0xff) << 8)
                    | (prefix[4] & 0xff));
        body = new byte[Math.min(bodyLength, FIRST_BUFFER_BYTES)];
        bodyFilled = 0;
      }
      int take = Math.min(bodyLength - bodyFilled, data.readableBytes());
      if (bodyFilled + take > body.length) {
        body =
            Arrays.copyOf(
                body, (int) Math.min(bodyLength, Math.max(2L * body.length, bodyFilled + take)));
      }
      data.readBytes(body, bodyFilled, take);
      bodyFilled += take;
      if (bodyFilled == bodyLength) {
        byte[] whole = body;
        int length = bodyLength;
        body = null;
        bodyLength = -1;
        sink.message(parse(whole, length));
      }
    }
  }

  private int lengthOf(byte flags, int length) throws MalformedMessageException {
    if (flags != 0) {
      throw new MalformedMessageException(
          flags == 1
              ? "the manager sent a compressed message, but no compression was negotiated"
              : "the manager sent a message with a bad gRPC prefix (flags " + flags + ")",
          null);
    }
    if (length < 0 || length > maxMessageBytes) {
      throw new MalformedMessageException(
          "the manager sent a message of "
              + Integer.toUnsignedString(length)
              + " bytes, over this client's limit of "
              + maxMessageBytes
              + " bytes",
          null);
    }
    return length;
  }

  private static ServerMessage parse(ByteBuf bytes) throws MalformedMessageException {
    try {
      return bytes.nioBufferCount() == 1
          ? ServerMessage.parser().parseFrom(bytes.nioBuffer())
          : ServerMessage.parser()
              .parseFrom(io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil.getBytes(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedMessageException("the manager sent a message that does not parse", e);
    }
  }

  private static ServerMessage parse(byte[] bytes, int length) throws MalformedMessageException {
    try {
      return ServerMessage.parser().parseFrom(bytes, 0, length);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedMessageException("the manager sent a message that does not parse", e);
    }
  }
}
