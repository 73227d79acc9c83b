package org.multiprocessing4j.server;

import org.multiprocessing4j.proto.v1.ServerMessage;

/** Where a session's messages go. Implementations serialize concurrent sends. */
interface SessionOutput {
  void send(ServerMessage message);

  /** Ends the stream after the messages already sent. */
  void close();
}
