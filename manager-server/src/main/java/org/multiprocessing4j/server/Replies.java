package org.multiprocessing4j.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.RemoteError;
import org.multiprocessing4j.proto.v1.Reply;
import org.multiprocessing4j.proto.v1.ReplyBatch;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.Value;

/**
 * Encodes replies and queues them for sending. Runs under the state lock, which guards every field.
 */
final class Replies {
  // A batch's replies go out in messages of about this size: large enough that many small replies
  // share one, small enough that a client starts on the first before the manager encodes the last.
  static final int GATHER_BYTES = 64 * 1024;

  private final ManagerState state;
  private final int maxMessageBytes;
  private final List<Reply> gathered = new ArrayList<>();
  private ServerSession gathering;
  // Bytes of the replies held back now; of every reply to the gathering session since gather().
  private int heldBytes;
  private long gatheredBytes;

  Replies(ManagerState state, int maxMessageBytes) {
    this.state = state;
    this.maxMessageBytes = maxMessageBytes;
  }

  void sendValue(Call call, Object result) {
    List<Ref> refs = new ArrayList<>();
    Value value;
    try {
      value = ServerCodec.encode(result, refs);
    } catch (CodedException e) {
      sendError(call, e);
      return;
    }
    ServerMessage message =
        ServerMessage.newBuilder()
            .setReply(Reply.newBuilder().setCallId(call.callId).setValue(value))
            .build();
    int limit = call.session.maxReplyBytes;
    if (message.getSerializedSize() > limit) {
      // Sent anyway, it would make the client's transport end the whole session.
      sendError(
          call,
          new CodedException(
              ErrorCode.MESSAGE_TOO_LARGE,
              "the reply is "
                  + message.getSerializedSize()
                  + " bytes, over "
                  + (limit < maxMessageBytes ? "this client's" : "the manager's")
                  + " limit of "
                  + limit
                  + " bytes; fetch it in parts"));
      return;
    }
    if (call.session.closed) {
      return; // nobody to take the references
    }
    for (Ref ref : refs) {
      state.addReference(call.session, ref.objectId());
    }
    send(call.session, message);
  }

  void sendError(Call call, Throwable failure) {
    if (call.session.closed) {
      return;
    }
    ServerMessage message =
        ServerMessage.newBuilder()
            .setReply(Reply.newBuilder().setCallId(call.callId).setError(toRemoteError(failure)))
            .build();
    send(call.session, message);
  }

  void send(ServerSession session, ServerMessage message) {
    if (session == gathering && message.hasReply()) {
      int size = message.getReply().getSerializedSize();
      gatheredBytes += size;
      // A client with a small limit gets small batches: what is held stays under a quarter of its
      // limit, so the batch with its per-reply framing fits.
      int gatherBytes = Math.min(GATHER_BYTES, session.maxReplyBytes / 8);
      if (size > gatherBytes) {
        flushGathered(); // keeps the replies in order; a big one goes alone
      } else {
        gathered.add(message.getReply());
        heldBytes += size;
        if (heldBytes >= gatherBytes) {
          flushGathered();
        }
        return;
      }
    }
    state.enqueueSend(() -> session.output.send(message));
  }

  /**
   * Until {@link #sendGathered}, replies to {@code session} are held back and then sent together,
   * as one {@code ReplyBatch} (for a client's batch of requests: one message back instead of one
   * per call). Other sessions' replies go as usual.
   */
  void gather(ServerSession session) {
    assert state.isHeldByCurrentThread();
    sendGathered();
    gathering = session;
    gatheredBytes = 0;
  }

  /** Bytes of the replies to the gathering session since {@link #gather}, sent or held. */
  long gatheredBytes() {
    return gatheredBytes;
  }

  /** Sends what {@link #gather} held back, and stops gathering. */
  void sendGathered() {
    flushGathered();
    gathering = null;
  }

  private void flushGathered() {
    if (gathered.isEmpty()) {
      return;
    }
    ServerSession session = gathering;
    ServerMessage message =
        gathered.size() == 1
            ? ServerMessage.newBuilder().setReply(gathered.get(0)).build()
            : ServerMessage.newBuilder()
                .setReplyBatch(ReplyBatch.newBuilder().addAllReplies(gathered))
                .build();
    gathered.clear();
    heldBytes = 0;
    state.enqueueSend(() -> session.output.send(message));
  }

  static RemoteError toRemoteError(Throwable failure) {
    ErrorCode code;
    Throwable reported = failure;
    if (failure instanceof CodedException codedException) {
      code = codedException.code;
    } else if (failure instanceof MethodNotExposedException) {
      code = ErrorCode.METHOD_NOT_EXPOSED;
    } else if (failure instanceof CreateFailedException) {
      code = ErrorCode.CREATE_FAILED;
      reported = failure.getCause();
    } else {
      code = ErrorCode.METHOD_FAILED;
    }
    RemoteError.Builder error =
        RemoteError.newBuilder()
            .setCode(code)
            .setExceptionClass(reported.getClass().getName())
            .setMessage(reported.getMessage() == null ? "" : reported.getMessage());
    if (code == ErrorCode.METHOD_FAILED
        || code == ErrorCode.CREATE_FAILED
        || code == ErrorCode.INTERNAL) {
      StringWriter trace = new StringWriter();
      reported.printStackTrace(new PrintWriter(trace));
      error.setRemoteStackTrace(trace.toString());
    }
    return error.build();
  }
}
