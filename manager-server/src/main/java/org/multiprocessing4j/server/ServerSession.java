package org.multiprocessing4j.server;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One authenticated client session (one stream). Its state is guarded by the {@link ManagerState}
 * lock.
 */
final class ServerSession {
  final long id;
  final String clientName;
  final long pid;
  final SessionOutput output;
  final ManagerState state;
  // The largest reply this client may be sent: the smaller of its limit and the manager's.
  final int maxReplyBytes;
  // Object id -> number of proxy instances the client holds.
  final Map<Long, Integer> references = new HashMap<>();
  // Call id -> a call parked on some referent.
  final Map<Long, Call> parkedCalls = new HashMap<>();
  // Referents that hold something on behalf of this session (a lock it acquired).
  final Set<Referent> watched = new LinkedHashSet<>();
  boolean closed;

  ServerSession(
      long id,
      String clientName,
      long pid,
      int maxReplyBytes,
      SessionOutput output,
      ManagerState state) {
    this.id = id;
    this.maxReplyBytes = maxReplyBytes;
    this.clientName = clientName;
    this.pid = pid;
    this.output = output;
    this.state = state;
  }

  /** Asks for {@link Referent#sessionEnded} when this session ends. */
  void watch(Referent referent) {
    watched.add(referent);
  }

  @Override
  public String toString() {
    return "session " + id + " (" + clientName + ", pid " + pid + ")";
  }
}
