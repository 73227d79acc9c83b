package org.multiprocessing4j.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls parked on one referent (a lock's acquirers, an event's or a condition's waiters), in
 * arrival order for FIFO hand-off. A parked call that times out or is withdrawn leaves the queue
 * and is answered {@code false}. Not thread-safe: guarded, like its referent, by the state lock.
 */
final class WaitQueue {
  private final ArrayDeque<Call> calls = new ArrayDeque<>();

  /**
   * Parks {@code call} at the back of the queue and returns {@link Call#park}'s answer; a call that
   * may not wait (zero timeout) is answered {@code false} at once instead.
   */
  Object park(Call call) {
    if (!call.mayWait()) {
      return false;
    }
    calls.add(call);
    return call.park(() -> calls.remove(call), () -> false);
  }

  /** Removes and returns the longest-waiting call, or null if none waits. */
  Call poll() {
    return calls.poll();
  }

  /** Completes the {@code n} longest-waiting calls (fewer if fewer wait) with {@code value}. */
  void completeOldest(int n, Object value) {
    for (int i = 0; i < n && !calls.isEmpty(); i++) {
      calls.poll().complete(value);
    }
  }

  /** Completes every waiting call with {@code value}; the queue is empty before the first reply. */
  void completeAll(Object value) {
    List<Call> released = new ArrayList<>(calls);
    calls.clear();
    released.forEach(waiter -> waiter.complete(value));
  }

  /** The referent was freed: every waiting call is withdrawn (and so leaves the queue). */
  void withdrawAll() {
    new ArrayList<>(calls).forEach(Call::withdraw);
  }

  int size() {
    return calls.size();
  }
}
