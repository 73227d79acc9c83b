package org.multiprocessing4j.server;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.proto.v1.ErrorCode;

/**
 * Everything the manager holds: the object table, per-object reference counts, the sessions, and
 * the parked calls.
 *
 * <p>Thread safety: one lock guards all of it, and every call on every referent runs under it
 * (Python's manager relies on the GIL the same way). Calls are short (microseconds) and never
 * block: waiting is done by parking, which frees the thread. Replies produced under the lock are
 * queued and sent by {@link #locked} after the lock is released, so no network write ever happens
 * while holding it.
 */
final class ManagerState {
  /**
   * Which manager this is, drawn at random when it starts, never 0. Object ids start at 1 in every
   * manager; a serialized reference carries this as well, so that one made by a manager that has
   * since been replaced (a sidecar restarted on its port) is refused instead of reaching whatever
   * object now has its id.
   */
  final long instanceId = newInstanceId();

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Long, Entry> objects = new HashMap<>();
  private final Map<Long, ServerSession> sessions = new HashMap<>();
  private final ScheduledExecutorService timer;
  // Replies produced under the lock, sent by the thread that releases it.
  private List<Runnable> outbox = new ArrayList<>();
  private long nextObjectId = 1;
  private long nextSessionId = 1;
  private long callsServed;
  // Once any object holds a reference to another, freeing needs a reachability pass; until then an
  // object is garbage as soon as its last external reference goes.
  private boolean nestedReferencesExist;
  private boolean shutDown;

  ManagerState(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** One table entry. */
  static final class Entry {
    final long id;
    final Referent referent;
    // References held by client sessions (one per live proxy instance).
    int externalRefs;

    Entry(long id, Referent referent) {
      this.id = id;
      this.referent = referent;
    }
  }

  /** Runs {@code action} under the lock, then sends the replies it produced. */
  <T> T locked(Supplier<T> action) {
    List<Runnable> toSend;
    T result;
    lock.lock();
    try {
      result = action.get();
    } finally {
      toSend = drainOutbox();
      lock.unlock();
    }
    toSend.forEach(Runnable::run);
    return result;
  }

  void locked(Runnable action) {
    locked(
        () -> {
          action.run();
          return null;
        });
  }

  private List<Runnable> drainOutbox() {
    if (outbox.isEmpty()) {
      return List.of();
    }
    List<Runnable> drained = outbox;
    outbox = new ArrayList<>();
    return drained;
  }

  /** Queues a send to run after the lock is released. Lock must be held. */
  void enqueueSend(Runnable send) {
    assert lock.isHeldByCurrentThread();
    outbox.add(send);
  }

  boolean isHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  // --- sessions

  private static long newInstanceId() {
    long id;
    do {
      // The handshake's random source: seeded once per process already.
      id = ByteBuffer.wrap(Handshake.newNonce()).getLong();
    } while (id == 0); // 0 means "not known" in an Attach
    return id;
  }

  ServerSession openSession(String clientName, long pid, int maxReplyBytes, SessionOutput output) {
    return locked(
        () -> {
          ServerSession session =
              new ServerSession(nextSessionId++, clientName, pid, maxReplyBytes, output, this);
          sessions.put(session.id, session);
          return session;
        });
  }

  /**
   * Ends a session: withdraws its parked calls, lets referents release what it owned, drops its
   * references, and frees what became unreachable. Lock must be held.
   */
  void endSession(ServerSession session) {
    if (sessions.remove(session.id) == null) {
      return;
    }
    session.closed = true;
    for (Call call : new ArrayList<>(session.parkedCalls.values())) {
      call.withdraw();
    }
    for (Referent watched : session.watched) {
      watched.sessionEnded(session);
    }
    session.watched.clear();
    List<Long> dropped = new ArrayList<>();
    for (Map.Entry<Long, Integer> held : session.references.entrySet()) {
      Entry entry = objects.get(held.getKey());
      if (entry != null) {
        entry.externalRefs -= held.getValue();
        if (entry.externalRefs <= 0) {
          dropped.add(entry.id);
        }
      }
    }
    session.references.clear();
    collect(dropped);
  }

  int sessionCount() {
    return sessions.size();
  }

  int pausedSessionCount() {
    return (int)
        sessions.values().stream().filter(session -> session.output.readingPaused()).count();
  }

  // --- objects

  /**
   * Adds a referent with no references yet: the caller either hands a reference to a client in the
   * same locked section or stores it inside another object (then calls {@link
   * #nestedReferenceStored}).
   */
  long register(Referent referent) {
    long id = nextObjectId++;
    objects.put(id, new Entry(id, referent));
    return id;
  }

  Entry entry(long id) {
    return objects.get(id);
  }

  /**
   * Refuses a reference to object {@code objectId} made by another manager instance ({@code
   * madeBy}; 0, unknown, is not checked): its id names another object here, or none. {@code
   * outcome} tells the caller what was not done.
   */
  void requireMadeHere(long madeBy, long objectId, String outcome) throws CodedException {
    if (madeBy != 0 && madeBy != instanceId) {
      throw new CodedException(
          ErrorCode.UNKNOWN_OBJECT,
          "this reference belongs to a manager that is gone: it was made by manager instance "
              + Long.toHexString(madeBy)
              + ", and this is instance "
              + Long.toHexString(instanceId)
              + " (a manager started since, at the same address or another); object "
              + objectId
              + " here is not the one it named. "
              + outcome);
    }
  }

  /**
   * Refuses a reference that names {@code entry}'s id as an object of type {@code claimedType} when
   * the object is of another type: the reference was made by another manager (its id names another
   * object here) or forged. {@code outcome} tells the caller what was not done.
   */
  static void requireType(Entry entry, String claimedType, String outcome) throws CodedException {
    String actual = entry.referent.typeId();
    if (!claimedType.equals(actual)) {
      throw new CodedException(
          ErrorCode.UNKNOWN_OBJECT,
          "this reference is not one of this manager's: it names a '"
              + claimedType
              + "' with id "
              + entry.id
              + ", but object "
              + entry.id
              + " of this manager is a '"
              + actual
              + "' (the reference was made by another manager, one that is gone or at another"
              + " address, or forged). "
              + outcome);
    }
  }

  /** Records that {@code session} holds one more reference to {@code id}. Lock must be held. */
  void addReference(ServerSession session, long id) {
    Entry entry = objects.get(id);
    entry.externalRefs++;
    session.references.merge(id, 1, Integer::sum);
  }

  /** Marks that some object now holds a reference to another (see {@link #collect}). */
  void nestedReferenceStored() {
    nestedReferencesExist = true;
  }

  /** Drops one reference of {@code session} per id listed. Lock must be held. */
  void release(ServerSession session, List<Long> ids) {
    List<Long> dropped = new ArrayList<>();
    for (long id : ids) {
      Integer held = session.references.get(id);
      if (held == null) {
        continue; // already released (e.g. session ended): releasing is idempotent
      }
      if (held == 1) {
        session.references.remove(id);
      } else {
        session.references.put(id, held - 1);
      }
      Entry entry = objects.get(id);
      if (entry != null && --entry.externalRefs <= 0) {
        dropped.add(id);
      }
    }
    collect(dropped);
  }

  /**
   * Frees objects no client can reach any more. Without nested references an object is garbage when
   * its external count reaches zero; with them, objects are kept while reachable from an externally
   * referenced object (mark and sweep over the table, which also frees cycles such as a list that
   * contains itself). Lock must be held.
   */
  private void collect(List<Long> candidates) {
    if (candidates.isEmpty()) {
      return;
    }
    if (!nestedReferencesExist) {
      for (long id : candidates) {
        Entry entry = objects.get(id);
        if (entry != null && entry.externalRefs <= 0) {
          free(entry);
        }
      }
      return;
    }
    Set<Long> reachable = new HashSet<>();
    ArrayDeque<Long> pending = new ArrayDeque<>();
    for (Entry entry : objects.values()) {
      if (entry.externalRefs > 0 && reachable.add(entry.id)) {
        pending.add(entry.id);
      }
    }
    while (!pending.isEmpty()) {
      Entry entry = objects.get(pending.poll());
      if (entry != null) {
        entry.referent.forEachReference(
            id -> {
              if (objects.containsKey(id) && reachable.add(id)) {
                pending.add(id);
              }
            });
      }
    }
    List<Entry> garbage = new ArrayList<>();
    for (Iterator<Entry> it = objects.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (!reachable.contains(entry.id)) {
        garbage.add(entry);
      }
    }
    garbage.forEach(this::free);
  }

  private void free(Entry entry) {
    objects.remove(entry.id);
    entry.referent.freed();
  }

  int objectCount() {
    lock.lock();
    try {
      return objects.size();
    } finally {
      lock.unlock();
    }
  }

  Map<String, Long> objectsByType() {
    lock.lock();
    try {
      Map<String, Long> counts = new TreeMap<>();
      for (Entry entry : objects.values()) {
        counts.merge(entry.referent.typeId(), 1L, Long::sum);
      }
      return counts;
    } finally {
      lock.unlock();
    }
  }

  void countCall() {
    callsServed++;
  }

  long callsServed() {
    return callsServed;
  }

  // --- parked calls

  /** Arms the timeout of a parked call. Lock must be held. */
  ScheduledFuture<?> scheduleTimeout(Call call, long timeoutNanos) {
    return timer.schedule(() -> locked(call::timeOut), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Ends every session (each told why, by {@code farewell}) and frees everything. Lock must be
   * held.
   */
  void shutDown(java.util.function.Consumer<ServerSession> farewell) {
    shutDown = true;
    for (ServerSession session : new ArrayList<>(sessions.values())) {
      farewell.accept(session);
      endSession(session);
    }
    for (Entry entry : new ArrayList<>(objects.values())) {
      free(entry);
    }
  }

  boolean isShutDown() {
    return shutDown;
  }
}
