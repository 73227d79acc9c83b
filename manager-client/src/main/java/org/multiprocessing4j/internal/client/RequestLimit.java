package org.multiprocessing4j.internal.client;

import org.multiprocessing4j.ManagerException;

/**
 * The largest request this client sends: its own limit ({@code Manager.Builder.maxMessageBytes}),
 * or the manager's if that is smaller, as its Welcome says. Checked on each request as it is built,
 * before anything is sent: a request the manager would refuse never leaves, and one over the
 * transport's ceiling could otherwise cost the whole session.
 *
 * <p>Thread-safe: the manager's limit is set once, at the handshake, and read by any thread.
 */
final class RequestLimit {
  private final int clientBytes;
  // Until the handshake: no limit but the client's own.
  private volatile long managerBytes = Long.MAX_VALUE;

  RequestLimit(int clientBytes) {
    this.clientBytes = clientBytes;
  }

  /**
   * The manager's limit from its Welcome; 0 (an older manager that does not say) changes nothing.
   */
  void managerSaid(long bytes) {
    if (bytes > 0) {
      managerBytes = bytes;
    }
  }

  /** Refuses a request of {@code size} bytes over either limit; nothing was sent. */
  void check(int size) {
    long manager = managerBytes;
    if (size > clientBytes || size > manager) {
      boolean managerIsSmaller = manager < clientBytes;
      throw new ManagerException(
          ManagerException.Code.MESSAGE_TOO_LARGE,
          "the request is "
              + size
              + " bytes, over "
              + (managerIsSmaller
                  ? "the manager's limit of "
                      + manager
                      + " bytes (--max-message-size, said at the"
                      + " handshake)"
                  : "this client's limit of " + clientBytes + " bytes (maxMessageBytes)")
              + "; nothing was sent");
    }
  }
}
