package org.multiprocessing4j.internal.client;

import static io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil.DEFAULT_WINDOW_SIZE;
import static io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2CodecUtil.MAX_INITIAL_WINDOW_SIZE;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Error;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;

/**
 * HTTP/2 flow control for the connection and its one stream, both ways. Sending: how many DATA
 * bytes the manager lets us send (its initial window, raised by its WINDOW_UPDATEs, moved by a
 * changed SETTINGS_INITIAL_WINDOW_SIZE). Receiving: how many it may still send us; every {@link
 * #RECEIVE_WINDOW} / 2 bytes read are given back in a WINDOW_UPDATE, since the session reads every
 * message as it arrives.
 *
 * <p>Thread safety: the send side is synchronized (writers take from it, the reader adds to it);
 * the receive side is used only by the connection's current reader.
 */
final class FlowWindows {
  /** The receive window of the connection and of the stream, announced at the start. */
  static final int RECEIVE_WINDOW = 4 * 1024 * 1024;

  @GuardedBy("this")
  private long connectionSend = DEFAULT_WINDOW_SIZE; // guarded by this

  @GuardedBy("this")
  private long streamSend = DEFAULT_WINDOW_SIZE; // guarded by this

  @GuardedBy("this")
  private int peerInitialWindow = DEFAULT_WINDOW_SIZE; // guarded by this

  private long connectionReceive = RECEIVE_WINDOW; // reader-confined
  private long streamReceive = RECEIVE_WINDOW; // reader-confined
  private int unacknowledged; // reader-confined

  /** Takes up to {@code wanted} bytes of send window; 0 if none is open. */
  synchronized int take(int wanted) {
    long open = Math.min(connectionSend, streamSend);
    if (open <= 0) {
      return 0;
    }
    int taken = (int) Math.min(wanted, open);
    connectionSend -= taken;
    streamSend -= taken;
    return taken;
  }

  /** Takes exactly {@code wanted} bytes if that much is open; otherwise takes nothing. */
  synchronized boolean takeAll(int wanted) {
    if (Math.min(connectionSend, streamSend) < wanted) {
      return false;
    }
    connectionSend -= wanted;
    streamSend -= wanted;
    return true;
  }

  synchronized boolean sendOpen() {
    return connectionSend > 0 && streamSend > 0;
  }

  /** A WINDOW_UPDATE for the connection (stream 0) or our stream. */
  synchronized void windowUpdate(boolean connection, int increment) throws Http2Exception {
    long window = (connection ? connectionSend : streamSend) + increment;
    if (window > MAX_INITIAL_WINDOW_SIZE) {
      throw Http2Exception.connectionError(
          Http2Error.FLOW_CONTROL_ERROR,
          "a WINDOW_UPDATE of %d took the %s send window over 2^31-1",
          increment,
          connection ? "connection's" : "stream's");
    }
    if (connection) {
      connectionSend = window;
    } else {
      streamSend = window;
    }
  }

  /** The manager's SETTINGS_INITIAL_WINDOW_SIZE: moves the stream's window by the change. */
  synchronized void peerInitialWindow(int size) throws Http2Exception {
    long window = streamSend + size - peerInitialWindow;
    if (window > MAX_INITIAL_WINDOW_SIZE) {
      throw Http2Exception.connectionError(
          Http2Error.FLOW_CONTROL_ERROR,
          "SETTINGS_INITIAL_WINDOW_SIZE %d took the stream's send window over 2^31-1",
          size);
    }
    streamSend = window;
    peerInitialWindow = size;
  }

  /**
   * {@code bytes} of DATA (payload and padding) arrived; returns the bytes to give back to the
   * connection and the stream now in a WINDOW_UPDATE each, or 0.
   */
  int received(int bytes) throws Http2Exception {
    connectionReceive -= bytes;
    streamReceive -= bytes;
    if (connectionReceive < 0 || streamReceive < 0) {
      throw Http2Exception.connectionError(
          Http2Error.FLOW_CONTROL_ERROR,
          "the manager sent %d bytes of DATA beyond the window it was given",
          -Math.min(connectionReceive, streamReceive));
    }
    unacknowledged += bytes;
    if (unacknowledged < RECEIVE_WINDOW / 2) {
      return 0;
    }
    int increment = unacknowledged;
    unacknowledged = 0;
    connectionReceive += increment;
    streamReceive += increment;
    return increment;
  }
}
