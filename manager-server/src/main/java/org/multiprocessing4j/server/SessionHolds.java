package org.multiprocessing4j.server;

import java.util.HashMap;
import java.util.Map;

/**
 * How many units of one referent (permits, lock holds) each session holds, so they can be given
 * back when the session ends. A session is watched while it holds something and unwatched when it
 * holds nothing, so a long-lived client does not accumulate watches. Guarded by the state lock.
 */
final class SessionHolds {
  private final Referent referent;
  private final Map<ServerSession, Integer> counts = new HashMap<>();
  private int total;

  SessionHolds(Referent referent) {
    this.referent = referent;
  }

  void add(ServerSession session, int units) {
    counts.merge(session, units, Integer::sum);
    total += units;
    session.watch(referent);
  }

  /** Removes up to {@code units} held by {@code session}; returns how many it held of them. */
  int remove(ServerSession session, int units) {
    Integer held = counts.get(session);
    if (held == null) {
      return 0;
    }
    int removed = Math.min(held, units);
    total -= removed;
    if (held == removed) {
      counts.remove(session);
      unwatch(session);
    } else {
      counts.put(session, held - removed);
    }
    return removed;
  }

  /** Removes and returns everything {@code session} holds (called when it ends). */
  int removeAll(ServerSession session) {
    Integer held = counts.remove(session);
    if (held == null) {
      return 0;
    }
    total -= held;
    return held;
  }

  /** Units held by all sessions together. */
  int total() {
    return total;
  }

  private void unwatch(ServerSession session) {
    // While a session ends, the state iterates its watch set: leave it alone then.
    if (!session.closed) {
      session.watched.remove(referent);
    }
  }
}
