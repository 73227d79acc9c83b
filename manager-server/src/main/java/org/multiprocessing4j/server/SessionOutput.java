package org.multiprocessing4j.server;

import org.multiprocessing4j.proto.v1.ServerMessage;

/** Where a session's messages go. Implementations serialize concurrent sends. */
interface SessionOutput {
  void send(ServerMessage message);

  /** Whether the client's next request waits for it to read the replies it has left unread. */
  default boolean readingPaused() {
    return false;
  }

  /** Ends the stream after the messages already sent. */
  void close();
}
