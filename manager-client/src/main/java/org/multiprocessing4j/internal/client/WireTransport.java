package org.multiprocessing4j.internal.client;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.google.protobuf.CodedOutputStream;
import io.grpc.InternalStatus;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2FrameTypes;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Settings;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ManagerServiceGrpc;
import org.multiprocessing4j.proto.v1.ServerMessage;

/**
 * The session stream over our own blocking HTTP/2 client, for plaintext TCP and Unix-socket
 * targets: the thread that makes a call writes its request to the socket and reads the manager's
 * frames itself until its reply is there ({@link ReaderRole}: several threads share the reading as
 * leader and followers; an idle reader takes over while the application computes). It speaks plain
 * gRPC over HTTP/2 to the unchanged grpc-java manager: one stream, {@code ManagerService/Session};
 * frames and HPACK by Netty's codec ({@link WireSocket}); the stream's state, flow control ({@link
 * FlowWindows}) and the control frames (SETTINGS and their ack, PING and its ack, WINDOW_UPDATE,
 * GOAWAY, RST_STREAM, keepalive pings) here.
 *
 * <p>Thread safety: thread-safe. A message is written whole under {@code messageLock} (its DATA
 * frames may wait for window); frames go out under the socket's output lock. Everything the frame
 * listener keeps is touched only by the current reader.
 */
// the frame writers' promises: a failed write surfaces from WireSocket's flush, not from them
@SuppressWarnings("FutureReturnValueIgnored")
final class WireTransport implements SessionTransport {
  private static final int STREAM = 1;
  private static final int MAX_HEADER_LIST_BYTES = 8192;
  private static final int GRPC_PREFIX_BYTES = 5;
  // DATA payloads up to the smallest SETTINGS_MAX_FRAME_SIZE a peer may set go out as one frame.
  private static final int SMALL_DATA_BYTES = DataFrameOutput.FRAME_PAYLOAD_BYTES;
  // Protobuf's buffer while a large message is encoded: whole 16 KiB frames' worth at a time.
  private static final int LARGE_ENCODE_BYTES = 2 * DataFrameOutput.FRAME_PAYLOAD_BYTES;
  // A manager that answers nothing, not even a PING, for this long after the last byte is noticed
  // within twice this (grpc-java's client did the same with its keepalive of 10 s + 10 s).
  static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final String target;
  private final StreamObserver<ServerMessage> receiver;
  private final WireSocket socket;
  private final FlowWindows windows = new FlowWindows();
  private final ReaderRole role;
  private final GrpcMessageReader messages;
  private final Frames frames = new Frames();
  private final ReentrantLock messageLock = new ReentrantLock();
  // The frame of a small message, encoded under messageLock; direct: the socket writes it as is.
  private final ByteBuf smallFrame =
      Unpooled.wrappedBuffer(
          ByteBuffer.allocateDirect(Http2CodecUtil.FRAME_HEADER_LENGTH + SMALL_DATA_BYTES));

  // Large messages are framed while they are encoded (under messageLock); made on first use.
  @GuardedBy("messageLock")
  private DataFrameOutput largeFrames;

  private final Queue<ClientMessage> unordered = new ConcurrentLinkedQueue<>();
  private final AtomicInteger unwatchedReplies = new AtomicInteger();
  private final AtomicBoolean endedOnce = new AtomicBoolean();
  private volatile boolean ended;
  private volatile long lastReadNanos = System.nanoTime();
  private volatile long pingSentNanos; // 0: no keepalive ping outstanding
  // The thread running the frame listener now: it must never wait for window itself.
  private volatile Thread dispatching;

  private WireTransport(
      String target,
      WireSocket socket,
      int maxInboundBytes,
      StreamObserver<ServerMessage> receiver) {
    this.target = target;
    this.socket = socket;
    this.receiver = receiver;
    this.messages = new GrpcMessageReader(maxInboundBytes);
    this.role = new ReaderRole(new Reading());
  }

  /**
   * Connects, sends the HTTP/2 preface, our SETTINGS and the stream's request headers, and starts
   * the idle reader. The manager's SETTINGS are read with the first reply.
   */
  static WireTransport open(
      String target,
      SocketAddress address,
      String authority,
      int maxInboundBytes,
      StreamObserver<ServerMessage> receiver)
      throws IOException {
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .path("/" + ManagerServiceGrpc.getSessionMethod().getFullMethodName())
            .authority(authority)
            .add("content-type", "application/grpc")
            .add("te", "trailers")
            .add("user-agent", "multiprocessing4j-wire");
    WireSocket socket =
        WireSocket.connect(
            address,
            (writer, context) -> {
              context.write(Http2CodecUtil.connectionPrefaceBuf(), context.newPromise());
              writer.writeSettings(
                  context,
                  new Http2Settings()
                      .pushEnabled(false)
                      .maxConcurrentStreams(0)
                      .initialWindowSize(FlowWindows.RECEIVE_WINDOW)
                      .maxHeaderListSize(MAX_HEADER_LIST_BYTES),
                  context.newPromise());
              writer.writeWindowUpdate(
                  context,
                  0,
                  FlowWindows.RECEIVE_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE,
                  context.newPromise());
              writer.writeHeaders(context, STREAM, headers, 0, false, context.newPromise());
            });
    WireTransport transport = new WireTransport(target, socket, maxInboundBytes, receiver);
    try {
      socket
          .reader()
          .headersConfiguration()
          .maxHeaderListSize(MAX_HEADER_LIST_BYTES, 2L * MAX_HEADER_LIST_BYTES);
    } catch (Http2Exception | RuntimeException e) {
      socket.close();
      throw new IOException(e.getMessage(), e);
    }
    Thread idle = new Thread(transport.role::runIdleReader, "mp4j-wire-reader");
    idle.setDaemon(true);
    idle.start();
    return transport;
  }

  // --- sending

  @Override
  public void send(ClientMessage message) {
    messageLock.lock();
    try {
      writeMessage(message, false);
    } catch (IOException e) {
      broke(e);
      throw new UncheckedIOException(e);
    } finally {
      messageLock.unlock();
    }
    writeUnordered();
  }

  @Override
  public void sendUnordered(ClientMessage message) {
    unordered.add(message);
    writeUnordered();
  }

  /**
   * Writes the queued unordered messages if no message is being written (this thread's included:
   * they may not land inside one) and the window takes them whole; otherwise whoever writes next,
   * or reads the next window update, does.
   */
  private void writeUnordered() {
    while (!unordered.isEmpty() && !messageLock.isHeldByCurrentThread() && messageLock.tryLock()) {
      try {
        ClientMessage message;
        while ((message = unordered.peek()) != null) {
          if (!writeMessage(message, true)) {
            return;
          }
          unordered.poll();
        }
      } catch (IOException e) {
        broke(e);
        return;
      } finally {
        messageLock.unlock();
      }
    }
  }

  /**
   * Writes one gRPC message as DATA frames, as the send window allows. {@code onlyWhole}: write it
   * only if the window takes all of it now (returns false otherwise); else wait for window, reading
   * meanwhile.
   */
  @GuardedBy("messageLock")
  private boolean writeMessage(ClientMessage message, boolean onlyWhole) throws IOException {
    if (ended) {
      throw new IOException("the connection to " + target + " is closed");
    }
    int size = message.getSerializedSize();
    if (size + GRPC_PREFIX_BYTES <= SMALL_DATA_BYTES && windows.takeAll(size + GRPC_PREFIX_BYTES)) {
      writeSmall(message, size);
      return true;
    }
    if (onlyWhole && !windows.takeAll(size + GRPC_PREFIX_BYTES)) {
      return false;
    }
    if (onlyWhole) {
      writeWhole(message, size);
      return true;
    }
    if (largeFrames == null) {
      largeFrames = new DataFrameOutput(socket, windows, this::awaitSendWindow, STREAM);
    }
    largeFrames.begin(size + GRPC_PREFIX_BYTES);
    CodedOutputStream out = CodedOutputStream.newInstance(largeFrames, LARGE_ENCODE_BYTES);
    out.write((byte) 0); // not compressed
    out.writeFixed32NoTag(Integer.reverseBytes(size)); // the length, big-endian
    message.writeTo(out);
    out.flush();
    largeFrames.end();
    return true;
  }

  /** A message whose window is already taken, written whole (an unordered message). */
  private void writeWhole(ClientMessage message, int size) throws IOException {
    ByteBuf framed = socket.allocator().directBuffer(size + GRPC_PREFIX_BYTES);
    try {
      framed.writeByte(0).writeInt(size);
      CodedOutputStream out = CodedOutputStream.newInstance(framed.nioBuffer(5, size));
      message.writeTo(out);
      out.checkNoSpaceLeft();
      framed.writerIndex(size + GRPC_PREFIX_BYTES);
      writeData(framed.retainedSlice());
    } finally {
      framed.release();
    }
  }

  /**
   * A message that fits one DATA frame of the smallest size HTTP/2 allows, its window already
   * taken: the frame (Netty's frame header, gRPC's prefix, the protobuf) is encoded into the
   * session's one buffer for them and written with a single system call, past Netty's pipeline.
   */
  private void writeSmall(ClientMessage message, int size) throws IOException {
    ByteBuf frame = smallFrame.clear();
    Http2CodecUtil.writeFrameHeader(
        frame, size + GRPC_PREFIX_BYTES, Http2FrameTypes.DATA, DataFrameOutput.NO_FLAGS, STREAM);
    frame.writeByte(0).writeInt(size);
    int start = frame.writerIndex();
    CodedOutputStream out = CodedOutputStream.newInstance(frame.nioBuffer(start, size));
    message.writeTo(out);
    out.checkNoSpaceLeft();
    frame.writerIndex(start + size);
    socket.writeFrame(frame.nioBuffer());
  }

  private void writeData(ByteBuf data) throws IOException {
    socket.write(
        (writer, context) ->
            writer.writeData(context, STREAM, data, 0, false, context.newPromise()));
  }

  private void awaitSendWindow() throws IOException {
    if (dispatching == Thread.currentThread()) {
      // Reading on would re-enter the frame reader: fail rather than deadlock.
      throw new IOException("no send window left for a message sent while reading");
    }
    try {
      role.await(() -> windows.sendOpen(), false, false, 0);
    } catch (InterruptedException e) {
      throw new AssertionError(e); // not interruptible
    }
    if (ended) {
      throw new IOException("the connection to " + target + " ended while waiting to send");
    }
  }

  @Override
  public void drainSoon(Runnable drain) {
    drain.run(); // the thread that queued the first call of a batch sends it
  }

  @Override
  public void expectReplyWithoutWaiter(Future<?> reply) {
    unwatchedReplies.incrementAndGet();
    ((CompletableFuture<?>) reply).whenComplete((r, t) -> unwatchedReplies.decrementAndGet());
    role.replyUnwatched();
  }

  // --- waiting

  @Override
  public void await(Future<?> reply, boolean interruptibly) throws InterruptedException {
    role.await(reply::isDone, interruptibly, false, 0);
  }

  @Override
  public boolean await(Future<?> reply, long timeoutNanos) throws InterruptedException {
    return role.await(reply::isDone, true, true, System.nanoTime() + timeoutNanos);
  }

  // --- ending

  @Override
  public void halfClose() {
    if (ended || !messageLock.tryLock()) {
      return; // a message is half written: closing the socket ends the stream instead
    }
    try {
      socket.write(
          (writer, context) ->
              writer.writeData(
                  context, STREAM, Unpooled.EMPTY_BUFFER, 0, true, context.newPromise()));
    } catch (IOException e) {
      // the connection is gone: so is the stream
    } finally {
      messageLock.unlock();
    }
  }

  @Override
  public void shutdown() {
    if (!ended) {
      // Give the manager a moment to end the stream it was asked to end.
      try {
        role.await(() -> ended, false, true, System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    end();
  }

  /** Ends the connection quietly (the stream has ended, or the session was closed). */
  private void end() {
    if (endedOnce.compareAndSet(false, true)) {
      ended = true;
      socket.close();
      role.ended();
    }
  }

  /**
   * Reading or writing failed. Before the manager's SETTINGS that is a manager that hung up without
   * speaking HTTP/2 (a TLS manager resets the connection after its alert), whichever of our writes
   * or reads meets the reset first: said as when it closes (no cause, so the session suggests TLS).
   */
  private void broke(Exception cause) {
    if (ended) {
      return;
    }
    // An I/O error's message says it all ("Connection reset by peer"); a bug's needs its type.
    String what = cause instanceof IOException ? cause.getMessage() : cause.toString();
    fail(
        frames.settingsSeen
            ? Status.UNAVAILABLE
                .withDescription("the connection to " + target + " broke: " + what)
                .withCause(cause)
            : Status.UNAVAILABLE.withDescription(
                "the manager at "
                    + target
                    + " closed the connection before speaking HTTP/2 ("
                    + what
                    + ")"));
  }

  /** Ends the connection with a failure the session hears of. */
  private void fail(Status status) {
    fail(status, new Metadata());
  }

  private void fail(Status status, Metadata trailers) {
    if (endedOnce.compareAndSet(false, true)) {
      ended = true;
      try {
        receiver.onError(status.asRuntimeException(trailers));
      } finally {
        socket.close();
        role.ended();
      }
    }
  }

  /** A protocol error of the manager's: says so in a GOAWAY (best effort), then fails. */
  private void failProtocol(Http2Exception e, boolean beforeSettings) {
    if (ended) {
      return;
    }
    long code = e.error().code();
    try {
      socket.writeSoon(
          (writer, context) ->
              writer.writeGoAway(
                  context,
                  0,
                  code,
                  ByteBufUtil.writeUtf8(context.alloc(), String.valueOf(e.getMessage())),
                  context.newPromise()));
    } catch (IOException ignored) {
      // failing anyway
    }
    fail(
        beforeSettings
            // No cause: the session may then suggest TLS (a TLS manager answers garbage or
            // nothing).
            ? Status.UNAVAILABLE.withDescription(
                "the manager at " + target + " did not answer in HTTP/2: " + e.getMessage())
            : Status.INTERNAL
                .withDescription(
                    "HTTP/2 protocol error on the connection to "
                        + target
                        + " ("
                        + e.error()
                        + "): "
                        + e.getMessage())
                .withCause(e));
  }

  /** What the connection side of the reader role does. */
  private final class Reading implements ReaderRole.Reading {
    @Override
    public void readOnce(long timeoutMillis) throws IOException {
      dispatching = Thread.currentThread();
      try {
        boolean open = socket.readFrames(timeoutMillis, frames);
        if (!open && !ended) {
          fail(
              frames.settingsSeen
                  ? Status.UNAVAILABLE.withDescription(
                      "the manager at " + target + " closed the connection")
                  : Status.UNAVAILABLE.withDescription(
                      "the manager at "
                          + target
                          + " closed the connection before speaking HTTP/2"));
        }
      } catch (Http2Exception e) {
        failProtocol(e, !frames.settingsSeen);
      } finally {
        dispatching = null;
      }
      if (!ended) {
        writeUnordered(); // a Pong left for want of window may fit now
      }
    }

    @Override
    public void wakeReader() {
      socket.wakeReader();
    }

    @Override
    public boolean ended() {
      return ended;
    }

    @Override
    public boolean repliesUnwatched() {
      return unwatchedReplies.get() > 0;
    }

    @Override
    public void readFailed(Exception cause) {
      broke(cause);
    }

    @Override
    public void idleTick() {
      if (ended) {
        return;
      }
      long now = System.nanoTime();
      long sent = pingSentNanos;
      if (sent != 0) {
        if (now - sent >= KEEPALIVE_NANOS && now - lastReadNanos >= KEEPALIVE_NANOS) {
          fail(
              Status.UNAVAILABLE.withDescription(
                  "the manager at "
                      + target
                      + " answered no keepalive ping for "
                      + TimeUnit.NANOSECONDS.toSeconds(now - sent)
                      + " s"));
        }
      } else if (now - lastReadNanos >= KEEPALIVE_NANOS) {
        pingSentNanos = now;
        try {
          socket.writeSoon(
              (writer, context) -> writer.writePing(context, false, now, context.newPromise()));
        } catch (IOException e) {
          readFailed(e);
        }
      }
    }
  }

  /**
   * The frame listener: the stream's state and the control frames. Runs on the current reader only;
   * everything it writes goes through {@link WireSocket#writeSoon}.
   */
  private final class Frames extends Http2FrameAdapter {
    // Volatile: a writer that meets a reset asks whether the manager spoke HTTP/2 at all.
    volatile boolean settingsSeen;
    private boolean headersSeen;

    private void expectSettingsFirst() throws Http2Exception {
      lastReadNanos = System.nanoTime();
      pingSentNanos = 0;
      if (!settingsSeen) {
        throw Http2Exception.connectionError(
            Http2Error.PROTOCOL_ERROR, "the first frame was not SETTINGS");
      }
    }

    private void expectOurStream(int streamId, String frame) throws Http2Exception {
      if (streamId != STREAM) {
        throw Http2Exception.connectionError(
            Http2Error.PROTOCOL_ERROR,
            "%s on stream %d, which this client never opened",
            frame,
            streamId);
      }
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext context, Http2Settings settings)
        throws Http2Exception {
      lastReadNanos = System.nanoTime();
      settingsSeen = true;
      Integer initialWindow = settings.initialWindowSize();
      if (initialWindow != null) {
        windows.peerInitialWindow(initialWindow);
      }
      Integer maxFrame = settings.maxFrameSize();
      Long headerTable = settings.headerTableSize();
      Long headerList = settings.maxHeaderListSize();
      try {
        // Applied to the writer, then acknowledged, under the output lock: no frame in between.
        socket.writeSoon(
            (writer, ctx) -> {
              if (maxFrame != null) {
                writer.configuration().frameSizePolicy().maxFrameSize(maxFrame);
              }
              if (headerTable != null) {
                writer.configuration().headersConfiguration().maxHeaderTableSize(headerTable);
              }
              if (headerList != null) {
                writer.configuration().headersConfiguration().maxHeaderListSize(headerList);
              }
              writer.writeSettingsAck(ctx, ctx.newPromise());
            });
      } catch (IOException e) {
        throw Http2Exception.connectionError(
            Http2Error.INTERNAL_ERROR, e, "cannot acknowledge SETTINGS");
      }
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext context) throws Http2Exception {
      expectSettingsFirst();
    }

    @Override
    public void onPingRead(ChannelHandlerContext context, long data) throws Http2Exception {
      expectSettingsFirst();
      writeSoon((writer, ctx) -> writer.writePing(ctx, true, data, ctx.newPromise()));
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext context, long data) throws Http2Exception {
      expectSettingsFirst();
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext context, int streamId, int increment)
        throws Http2Exception {
      expectSettingsFirst();
      if (streamId != 0) {
        expectOurStream(streamId, "WINDOW_UPDATE");
      }
      windows.windowUpdate(streamId == 0, increment);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext context,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      onHeadersRead(context, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext context,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      expectSettingsFirst();
      expectOurStream(streamId, "HEADERS");
      if (!headersSeen) {
        headersSeen = true;
        CharSequence status = headers.status();
        if (status == null || !"200".contentEquals(status)) {
          fail(httpStatus(status));
          return;
        }
        CharSequence contentType = headers.get("content-type");
        if (contentType == null || !contentType.toString().startsWith("application/grpc")) {
          fail(
              Status.UNKNOWN.withDescription(
                  "the manager at " + target + " answered with content-type " + contentType));
          return;
        }
        if (endOfStream) {
          finish(headers); // trailers only: the status came without a message
        }
        return;
      }
      if (!endOfStream) {
        throw Http2Exception.connectionError(
            Http2Error.PROTOCOL_ERROR, "a second HEADERS frame that does not end the stream");
      }
      if (messages.midMessage()) {
        fail(
            Status.INTERNAL.withDescription(
                "the stream from " + target + " ended in the middle of a message"));
        return;
      }
      finish(headers);
    }

    /** The stream's status arrived: the session hears of it and the connection ends. */
    private void finish(Http2Headers trailers) {
      Metadata metadata = new Metadata();
      for (Map.Entry<CharSequence, CharSequence> header : trailers) {
        String name = header.getKey().toString();
        if (name.startsWith(":")) {
          continue;
        }
        try {
          if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
            metadata.put(
                Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER),
                java.util.Base64.getDecoder().decode(header.getValue().toString()));
          } else {
            metadata.put(
                Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER),
                header.getValue().toString());
          }
        } catch (IllegalArgumentException badHeader) {
          // not a header gRPC can carry: irrelevant to the status
        }
      }
      Status status;
      CharSequence code = trailers.get("grpc-status");
      try {
        status =
            code == null
                ? Status.UNKNOWN.withDescription("the manager sent no grpc-status")
                : Status.fromCodeValue(Integer.parseInt(code.toString()))
                    .withDescription(metadata.get(InternalStatus.MESSAGE_KEY));
      } catch (NumberFormatException e) {
        status = Status.UNKNOWN.withDescription("the manager sent grpc-status " + code);
      }
      if (status.isOk()) {
        if (endedOnce.compareAndSet(false, true)) {
          ended = true;
          try {
            receiver.onCompleted();
          } finally {
            socket.close();
            role.ended();
          }
        }
      } else {
        fail(status, metadata);
      }
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext context, int streamId, ByteBuf data, int padding, boolean endOfStream)
        throws Http2Exception {
      expectSettingsFirst();
      int bytes = data.readableBytes() + padding;
      int giveBack = windows.received(bytes);
      if (giveBack > 0) {
        writeSoon(
            (writer, ctx) -> {
              writer.writeWindowUpdate(ctx, 0, giveBack, ctx.newPromise());
              writer.writeWindowUpdate(ctx, STREAM, giveBack, ctx.newPromise());
            });
      }
      expectOurStream(streamId, "DATA");
      if (!headersSeen) {
        throw Http2Exception.connectionError(
            Http2Error.PROTOCOL_ERROR, "DATA before the response headers");
      }
      try {
        messages.read(data, receiver::onNext);
      } catch (GrpcMessageReader.MalformedMessageException e) {
        throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, e, "%s", e.getMessage());
      }
      if (endOfStream && !ended) {
        fail(
            Status.INTERNAL.withDescription(
                "the stream from " + target + " ended without a status"));
      }
      return bytes;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext context, int streamId, long errorCode)
        throws Http2Exception {
      expectSettingsFirst();
      expectOurStream(streamId, "RST_STREAM");
      Http2Error error = Http2Error.valueOf(errorCode);
      Status status =
          error == Http2Error.CANCEL
              ? Status.CANCELLED
              : error == Http2Error.REFUSED_STREAM
                  ? Status.UNAVAILABLE
                  : error == Http2Error.ENHANCE_YOUR_CALM
                      ? Status.RESOURCE_EXHAUSTED
                      : Status.INTERNAL;
      fail(
          status.withDescription(
              "the manager at "
                  + target
                  + " reset the stream ("
                  + (error == null ? errorCode : error)
                  + ")"));
    }

    @Override
    public void onGoAwayRead(
        ChannelHandlerContext context, int lastStreamId, long errorCode, ByteBuf debugData)
        throws Http2Exception {
      expectSettingsFirst();
      String detail = debugData.toString(StandardCharsets.UTF_8);
      if (lastStreamId < STREAM || errorCode != Http2Error.NO_ERROR.code()) {
        Http2Error error = Http2Error.valueOf(errorCode);
        fail(
            Status.UNAVAILABLE.withDescription(
                "the manager at "
                    + target
                    + " closed the connection (GOAWAY "
                    + (error == null ? errorCode : error)
                    + (detail.isEmpty() ? "" : ": " + detail)
                    + ")"));
      }
      // Otherwise a graceful GOAWAY: the stream runs on until the manager ends it.
    }

    @Override
    public void onPushPromiseRead(
        ChannelHandlerContext context,
        int streamId,
        int promisedStreamId,
        Http2Headers headers,
        int padding)
        throws Http2Exception {
      throw Http2Exception.connectionError(
          Http2Error.PROTOCOL_ERROR, "PUSH_PROMISE, though this client disabled push");
    }

    // Unknown frame types: ignored, as HTTP/2 requires (Http2FrameAdapter's default).

    private void writeSoon(WireSocket.FrameWrite write) throws Http2Exception {
      try {
        socket.writeSoon(write);
      } catch (IOException e) {
        throw Http2Exception.connectionError(
            Http2Error.INTERNAL_ERROR, e, "cannot write: %s", e.getMessage());
      }
    }
  }

  /** gRPC's reading of an HTTP status other than 200 (the manager never sends one; a proxy may). */
  private Status httpStatus(CharSequence status) {
    int code;
    try {
      code = status == null ? -1 : Integer.parseInt(status.toString());
    } catch (NumberFormatException e) {
      code = -1;
    }
    Status grpc =
        switch (code) {
          case 400, 431 -> Status.INTERNAL;
          case 401 -> Status.UNAUTHENTICATED;
          case 403 -> Status.PERMISSION_DENIED;
          case 404 -> Status.UNIMPLEMENTED;
          case 429, 502, 503, 504 -> Status.UNAVAILABLE;
          default -> Status.UNKNOWN;
        };
    return grpc.withDescription("the manager at " + target + " answered HTTP status " + status);
  }
}
