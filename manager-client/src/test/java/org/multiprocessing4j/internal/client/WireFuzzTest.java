package org.multiprocessing4j.internal.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelDuplexHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.embedded.EmbeddedChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Headers;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;

/**
 * Our HTTP/2 client against a fake manager sending malformed and hostile frames: every case ends in
 * a clear {@link ManagerException} at once; none hangs (each has less time than the handshake's own
 * time-out) or allocates what a frame merely claims.
 */
// the frames are written into a buffer; the writers' promises carry nothing
@SuppressWarnings("FutureReturnValueIgnored")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WireFuzzTest {
  private static final String KEY = "fuzz-key";
  private static final Duration AT_ONCE = Duration.ofSeconds(5);

  @Test
  void aFrameLargerThanTheMaximumIsAFrameSizeError() throws Exception {
    byte[] hostile = concat(settings(), rawFrame(0xFFFFFF, 0, 0, 1, new byte[100]));
    assertFailsWith(hostile, "FRAME_SIZE_ERROR");
  }

  @Test
  void headersThatAreNotHpackAreACompressionError() throws Exception {
    byte[] block = {(byte) 0xBF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
    byte[] hostile = concat(settings(), rawFrame(block.length, 1, 0x4, 1, block));
    assertFailsWith(hostile, "COMPRESSION_ERROR");
  }

  @Test
  void aWindowUpdateOverflowingTheWindowIsAFlowControlError() throws Exception {
    byte[] increment = ByteBuffer.allocate(4).putInt(0x7FFFFFFF).array();
    assertFailsWith(concat(settings(), rawFrame(4, 8, 0, 0, increment)), "FLOW_CONTROL_ERROR");
  }

  @Test
  void unknownFrameTypesAreIgnored() throws Exception {
    byte[] hostile =
        concat(
            settings(),
            rawFrame(100, 0x42, 0xFF, 0, new byte[100]),
            rawFrame(10, 0xEE, 0, 1, new byte[10]),
            frames(
                (writer, ctx) ->
                    writer.writeGoAway(
                        ctx,
                        0,
                        Http2Error.NO_ERROR.code(),
                        Unpooled.copiedBuffer(
                            "bye".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        ctx.newPromise())));
    // The GOAWAY after them is what ends the session: the unknown frames were skipped.
    assertFailsWith(hostile, "GOAWAY NO_ERROR: bye");
  }

  @Test
  void aMessageLengthOverTheLimitAllocatesNothingAndFails() throws Exception {
    byte[] prefix = {0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    assertFailsWith(responseStartingWith(prefix), "over this client's limit");
  }

  @Test
  void aCompressedMessageWithoutNegotiationFails() throws Exception {
    byte[] prefix = {1, 0, 0, 0, 1, 0};
    assertFailsWith(responseStartingWith(prefix), "compressed");
  }

  /** Settings, then stream 1's response headers and a DATA frame holding {@code prefix}. */
  private static byte[] responseStartingWith(byte[] prefix) throws Exception {
    return concat(
        settings(),
        frames(
            (writer, ctx) -> {
              writer.writeHeaders(ctx, 1, responseHeaders(), 0, false, ctx.newPromise());
              writer.writeData(ctx, 1, Unpooled.wrappedBuffer(prefix), 0, false, ctx.newPromise());
            }));
  }

  @Test
  void aTrailersOnlyStatusReachesTheCaller() throws Exception {
    Http2Headers trailersOnly =
        responseHeaders().add("grpc-status", "16").add("grpc-message", "no%20entry");
    byte[] hostile =
        concat(
            settings(),
            frames(
                (writer, ctx) ->
                    writer.writeHeaders(ctx, 1, trailersOnly, 0, true, ctx.newPromise())));
    assertFailsWith(hostile, "UNAUTHENTICATED (no entry)");
  }

  @Test
  void aResetStreamEndsTheSession() throws Exception {
    byte[] hostile =
        concat(
            settings(),
            frames(
                (writer, ctx) ->
                    writer.writeRstStream(
                        ctx, 1, Http2Error.REFUSED_STREAM.code(), ctx.newPromise())));
    assertFailsWith(hostile, "reset the stream (REFUSED_STREAM)");
  }

  @Test
  void framesOnStreamsNeverOpenedAreProtocolErrors() throws Exception {
    byte[] hostile =
        concat(
            settings(),
            frames(
                (writer, ctx) ->
                    writer.writeHeaders(ctx, 3, responseHeaders(), 0, false, ctx.newPromise())));
    assertFailsWith(hostile, "PROTOCOL_ERROR");
  }

  @Test
  void anythingButSettingsFirstIsNotHttp2() throws Exception {
    assertFailsWith(
        frames((writer, ctx) -> writer.writePing(ctx, false, 1, ctx.newPromise())),
        "did not answer in HTTP/2");
    // A TLS manager's alert, then it hangs up: with a FIN, or with a reset, which races the
    // client's Hello (a reset is what a peer closing with unread input sends). Either way the
    // client says the manager hung up before speaking HTTP/2, and suggests TLS.
    byte[] tlsAlert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50};
    for (HangUp hangUp : new HangUp[] {HangUp.CLOSE, HangUp.RESET}) {
      assertFailsWith(tlsAlert, hangUp, "before speaking HTTP/2");
      assertFailsWith(tlsAlert, hangUp, "if it serves TLS");
    }
  }

  @Test
  void aResetBeforeAnyByteIsAClosedConnectionNotABrokenOne() throws Exception {
    // The manager resets at once, as a TLS manager may when it reads our preface: whether the
    // client meets the reset writing its Hello or reading, the error is the same.
    for (int i = 0; i < 20; i++) {
      assertFailsWith(new byte[0], HangUp.RESET, "closed the connection before speaking HTTP/2");
    }
  }

  @Test
  void randomBytesAfterTheSettingsFailClearly() throws Exception {
    Random random = new Random(2026);
    for (int i = 0; i < 60; i++) {
      byte[] garbage = new byte[9 + random.nextInt(300)];
      random.nextBytes(garbage);
      if (random.nextBoolean()) {
        garbage[3] = (byte) random.nextInt(10); // a known frame type, more often than by chance
      }
      // The fake hangs up after them: garbage that reads as part of a frame must not be waited on.
      assertFailsWith(concat(settings(), garbage), HangUp.CLOSE, "");
    }
  }

  // --- the fake manager

  /** What the fake does after sending its bytes. */
  private enum HangUp {
    /** Stays open a while: the client must not wait for more. */
    STAY,
    /** Closes (a FIN). */
    CLOSE,
    /** Closes with a reset (SO_LINGER 0), as a peer closing with unread input does. */
    RESET
  }

  /**
   * Serves {@code hostile} to one client after reading its preface, then hangs up or stays a while;
   * asserts the client's connect fails at once with a ManagerException whose messages contain
   * {@code expected}.
   */
  private static void assertFailsWith(byte[] hostile, String expected) throws Exception {
    assertFailsWith(hostile, HangUp.STAY, expected);
  }

  private static void assertFailsWith(byte[] hostile, HangUp hangUp, String expected)
      throws Exception {
    try (ServerSocketChannel listener =
        ServerSocketChannel.open().bind(new InetSocketAddress("localhost", 0))) {
      int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
      Thread fake =
          new Thread(
              () -> {
                try (SocketChannel client = listener.accept()) {
                  client.read(ByteBuffer.allocate(64 * 1024)); // the preface, settings, headers
                  client.write(ByteBuffer.wrap(hostile));
                  if (hangUp == HangUp.RESET) {
                    client.setOption(StandardSocketOptions.SO_LINGER, 0);
                  }
                  if (hangUp != HangUp.STAY) {
                    return;
                  }
                  // Stays open a while: the client must not wait for more.
                  client.read(ByteBuffer.allocate(64 * 1024));
                  Thread.sleep(AT_ONCE.toMillis() * 2);
                } catch (IOException | InterruptedException e) {
                  // the client went away
                }
              },
              "fake-manager");
      fake.setDaemon(true);
      fake.start();
      ManagerException e =
          assertTimeoutPreemptively(
              AT_ONCE,
              () ->
                  assertThrows(
                      ManagerException.class, () -> Manager.connect("localhost:" + port, KEY)));
      String message = messages(e);
      assertTrue(message.contains(expected), () -> "expected '" + expected + "' in: " + message);
      fake.interrupt();
    }
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" / ");
    }
    return all.toString();
  }

  private static Http2Headers responseHeaders() {
    return new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
  }

  private interface Frames {
    void write(DefaultHttp2FrameWriter writer, ChannelHandlerContext ctx) throws Http2Exception;
  }

  private static byte[] settings() throws Exception {
    return frames(
        (writer, ctx) -> writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise()));
  }

  /** Frames as Netty's own writer writes them. */
  private static byte[] frames(Frames frames) throws Exception {
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelDuplexHandler());
    frames.write(new DefaultHttp2FrameWriter(), channel.pipeline().firstContext());
    channel.flush();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Object message;
    while ((message = channel.readOutbound()) != null) {
      ByteBuf buf = (ByteBuf) message;
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      buf.release();
      out.write(bytes);
    }
    channel.finishAndReleaseAll();
    return out.toByteArray();
  }

  /** A frame header as written by hand, claiming what the test wants, then {@code payload}. */
  private static byte[] rawFrame(int length, int type, int flags, int stream, byte[] payload) {
    return ByteBuffer.allocate(9 + payload.length)
        .put((byte) (length >>> 16))
        .put((byte) (length >>> 8))
        .put((byte) length)
        .put((byte) type)
        .put((byte) flags)
        .putInt(stream)
        .put(payload)
        .array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
