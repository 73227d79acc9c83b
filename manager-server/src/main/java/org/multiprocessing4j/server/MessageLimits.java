package org.multiprocessing4j.server;

import java.util.List;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.Request;
import org.multiprocessing4j.proto.v1.Value;

/**
 * The manager's message limit applied to what it receives: a request over the limit is answered
 * with {@code MESSAGE_TOO_LARGE} (the session goes on), and so is a value that could not be sent
 * back to the client that sent it, so that nothing is stored that its reader could never get.
 * Replies are checked where they are encoded ({@link Replies}). See docs/design-wire.md, "Message
 * limits".
 *
 * <p>Thread-safe: immutable.
 */
final class MessageLimits {
  // What a ServerMessage and its Reply add around a value: three tags, two lengths (at most 5
  // bytes each) and a call id (at most 10 as a varint). A value this much under a limit fits in a
  // reply within it.
  static final int REPLY_ENVELOPE_BYTES = 32;

  final int maxMessageBytes;

  MessageLimits(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * The largest reply a session may be sent: the manager's limit, or the client's if it said a
   * smaller one in its Hello.
   */
  int replyLimit(long clientMaxMessageBytes) {
    return clientMaxMessageBytes > 0 && clientMaxMessageBytes < maxMessageBytes
        ? (int) clientMaxMessageBytes
        : maxMessageBytes;
  }

  /** Refuses a request over the manager's limit (one of a batch is checked on its own). */
  void checkRequest(Request request) throws CodedException {
    int size = request.getSerializedSize();
    if (size > maxMessageBytes) {
      throw new CodedException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "the request is "
              + size
              + " bytes, over the manager's limit of "
              + maxMessageBytes
              + " bytes (--max-message-size); nothing was done");
    }
  }

  /**
   * Refuses arguments that could never be sent back to {@code session}: a value stored now and read
   * later comes back in a reply of its own, which must fit the session's reply limit.
   */
  void checkValues(ServerSession session, List<Value> values) throws CodedException {
    for (Value value : values) {
      long replyBytes = (long) value.getSerializedSize() + REPLY_ENVELOPE_BYTES;
      if (replyBytes > session.maxReplyBytes) {
        throw new CodedException(
            ErrorCode.MESSAGE_TOO_LARGE,
            "a value of "
                + value.getSerializedSize()
                + " bytes could never be sent back: replies"
                + " to this client are at most "
                + session.maxReplyBytes
                + " bytes (the smaller of"
                + " its limit and the manager's); nothing was stored");
      }
    }
  }
}
