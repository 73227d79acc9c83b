package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.testsupport.ChildJvm;

/**
 * A bounded soak: 8 client JVMs do mixed operations on a list, a map, a queue, a counter and a lock
 * while the test kills one with {@code kill -9} every 4 seconds and starts a replacement. Every
 * worker logs the operations the manager acknowledged; a history checker then verifies the outcome
 * exactly, allowing only what a killed client can leave ambiguous (the one call it had in flight).
 * Default 60 s; {@code -Dmp4j.soak.seconds=600} for a longer run.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class SoakIT {
  private static final int WORKERS = 8;
  private static final Duration KILL_EVERY = Duration.ofSeconds(4);

  @Test
  void mixedLoadWithClientsKilledAndRestarted() throws Exception {
    long seconds = Long.getLong("mp4j.soak.seconds", 60);
    try (Manager m = Manager.start()) {
      SharedList<String> list = m.list();
      SharedMap<String, String> map = m.dict();
      SharedQueue<String> queue = m.queue();
      SharedValue<Long> counter = m.value(0L);
      SharedLock lock = m.lock();
      SharedValue<Long> guarded = m.value(0L);
      SharedEvent stop = m.event();
      long baseline = m.stats().objectCount();
      String[] proxies = {
        ProxyArgs.encode(list), ProxyArgs.encode(map), ProxyArgs.encode(queue),
        ProxyArgs.encode(counter), ProxyArgs.encode(lock), ProxyArgs.encode(guarded),
        ProxyArgs.encode(stop)
      };

      List<ChildJvm> live = new ArrayList<>();
      List<String> histories = new ArrayList<>();
      Map<String, Long> killedAt = new HashMap<>(); // worker id -> System.nanoTime() of its kill
      Random random = new Random(42);
      int nextId = 0;
      try {
        for (; nextId < WORKERS; nextId++) {
          live.add(start(m, nextId, proxies));
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
          Thread.sleep(KILL_EVERY.toMillis()); // pacing the faults, not synchronisation
          int victim = random.nextInt(live.size());
          ChildJvm killed = live.get(victim);
          // Taken before the signal: the victim dies after this instant, and nobody else can get
          // its lock before it is dead, so this is a safe end for a section it still held.
          long beforeKill = System.nanoTime();
          killed.killHard();
          killedAt.put(workerId(killed.output()), beforeKill);
          histories.add(killed.output());
          live.set(victim, start(m, nextId++, proxies));
        }
        stop.set();
        for (ChildJvm worker : live) {
          worker.assertSucceeds(Duration.ofSeconds(60));
          histories.add(worker.output());
        }
      } finally {
        live.forEach(ChildJvm::close);
      }

      History history = History.parse(histories);
      int kills = killedAt.size();
      System.out.printf(
          "soak: %d s, %d workers, %d kills; acknowledged: %d puts, %d takes, %d appends,"
              + " %d map puts, %d increments, %d critical sections%n",
          seconds,
          WORKERS,
          kills,
          history.put.size(),
          history.taken.size(),
          history.added.size(),
          history.mapped.size(),
          history.increments,
          history.criticalSections);
      assertTrue(kills >= seconds * 1000 / KILL_EVERY.toMillis() / 2, "too few kills: " + kills);
      assertTrue(history.workersWithProgress >= WORKERS, "workers made no progress");

      // Queue: nothing duplicated, nothing invented, nothing lost beyond one in-flight take per
      // killed worker (an item it took whose reply it never logged).
      List<String> remaining = new ArrayList<>();
      for (String item = queue.poll(); item != null; item = queue.poll()) {
        remaining.add(item);
      }
      List<String> delivered = new ArrayList<>(history.taken);
      delivered.addAll(remaining);
      assertEquals(delivered.size(), new HashSet<>(delivered).size(), "an item delivered twice");
      for (String item : delivered) {
        assertTrue(
            history.put.contains(item) || killedAt.containsKey(owner(item)),
            "delivered but never put: " + item);
      }
      Set<String> lost = new HashSet<>(history.put);
      lost.removeAll(delivered);
      assertTrue(lost.size() <= kills, "items lost: " + lost.size() + " with " + kills + " kills");

      // Counter: every acknowledged increment counted, at most one unacknowledged per kill.
      long count = counter.get();
      assertTrue(
          count >= history.increments && count <= history.increments + kills,
          "counter " + count + ", acknowledged " + history.increments + ", kills " + kills);

      // Lock: critical sections never overlap (a killed holder's ends when it was killed), and
      // the read-modify-write they guard lost nothing.
      history.assertNoOverlap(killedAt);
      long guardedValue = guarded.get();
      assertTrue(
          guardedValue >= history.criticalSections
              && guardedValue <= history.criticalSections + kills,
          "guarded " + guardedValue + " after " + history.criticalSections + " sections");

      // List and map: every acknowledged append and put is there, appends exactly once.
      List<String> appended = list.copy();
      assertEquals(appended.size(), new HashSet<>(appended).size(), "an append applied twice");
      assertTrue(new HashSet<>(appended).containsAll(history.added), "acknowledged appends lost");
      for (String item : appended) {
        assertTrue(history.added.contains(item) || killedAt.containsKey(owner(item)), item);
      }
      assertTrue(map.copy().keySet().containsAll(history.mapped), "acknowledged puts lost");

      // References: every worker's proxies are gone with it.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (m.stats().objectCount() != baseline && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(baseline, m.stats().objectCount(), "references leaked");
    }
  }

  private static ChildJvm start(Manager m, int id, String[] proxies) {
    String[] args = new String[proxies.length + 1];
    args[0] = Integer.toString(id);
    System.arraycopy(proxies, 0, args, 1, proxies.length);
    return ChildJvm.start(SoakWorker.class, m.childEnvironment(), args);
  }

  private static String workerId(String output) {
    for (String line : output.split("\n", -1)) {
      if (line.startsWith("WORKER ")) {
        return line.substring("WORKER ".length()).trim();
      }
    }
    return "unstarted-" + System.nanoTime(); // killed before it said who it is
  }

  /** Items are named worker-sequence. */
  private static String owner(String item) {
    return item.substring(0, item.indexOf('-'));
  }

  /** What the workers' logs say the manager acknowledged. */
  private static final class History {
    final Set<String> put = new HashSet<>();
    final List<String> taken = new ArrayList<>();
    final Set<String> added = new HashSet<>();
    final Set<String> mapped = new HashSet<>();
    final Map<String, List<long[]>> sections = new HashMap<>(); // worker -> [locked, unlocking]
    long increments;
    long criticalSections;
    int workersWithProgress;

    static History parse(List<String> outputs) {
      History h = new History();
      for (String output : outputs) {
        String worker = workerId(output);
        List<long[]> mine = h.sections.computeIfAbsent(worker, w -> new ArrayList<>());
        int operations = 0;
        for (String line : output.split("\n", -1)) {
          String[] f = line.trim().split(" ", -1);
          switch (f[0]) {
            case "QPUT" -> h.put.add(f[1]);
            case "QGET" -> h.taken.add(f[1]);
            case "ADD" -> h.added.add(f[1]);
            case "MAP" -> h.mapped.add(f[1]);
            case "INC" -> h.increments++;
            case "LOCKED" -> mine.add(new long[] {Long.parseLong(f[1]), Long.MAX_VALUE});
            case "UNLOCKING" -> {
              mine.get(mine.size() - 1)[1] = Long.parseLong(f[1]);
              h.criticalSections++;
            }
            default -> {
              continue;
            }
          }
          operations++;
        }
        if (operations > 0) {
          h.workersWithProgress++;
        }
      }
      return h;
    }

    void assertNoOverlap(Map<String, Long> killedAt) {
      List<long[]> all = new ArrayList<>();
      sections.forEach(
          (worker, list) -> {
            for (long[] s : list) {
              // A section still open when its worker was killed ended with the kill.
              all.add(new long[] {s[0], s[1] == Long.MAX_VALUE ? killedAt.get(worker) : s[1]});
            }
          });
      all.sort((a, b) -> Long.compare(a[0], b[0]));
      for (int i = 1; i < all.size(); i++) {
        assertTrue(all.get(i)[0] > all.get(i - 1)[1], "two holders of the lock at once");
      }
      assertTrue(all.size() > 10, "too few critical sections: " + all.size());
    }
  }

  /**
   * args: id, then list, map, queue, counter, lock, guarded value, stop event. Logs each
   * acknowledged operation on its own line, flushed, until the stop event is set.
   */
  public static final class SoakWorker {
    private SoakWorker() {}

    public static void main(String[] args) throws Exception {
      String id = "w" + args[0];
      Manager worker = Manager.connectFromEnvironment();
      SharedList<String> list = ProxyArgs.decode(worker, args[1]);
      SharedMap<String, String> map = ProxyArgs.decode(worker, args[2]);
      SharedQueue<String> queue = ProxyArgs.decode(worker, args[3]);
      SharedValue<Long> counter = ProxyArgs.decode(worker, args[4]);
      SharedLock lock = ProxyArgs.decode(worker, args[5]);
      SharedValue<Long> guarded = ProxyArgs.decode(worker, args[6]);
      SharedEvent stop = ProxyArgs.decode(worker, args[7]);
      System.out.println("WORKER " + id);
      Random random = new Random();
      for (long seq = 0; seq % 16 != 0 || !stop.isSet(); seq++) {
        String item = id + "-" + seq;
        switch (random.nextInt(6)) {
          case 0 -> {
            list.add(item);
            System.out.println("ADD " + item);
          }
          case 1 -> {
            map.put(item, id);
            System.out.println("MAP " + item);
          }
          case 2 -> {
            queue.put(item);
            System.out.println("QPUT " + item);
          }
          case 3 -> {
            String taken = queue.poll(10, TimeUnit.MILLISECONDS);
            if (taken != null) {
              System.out.println("QGET " + taken);
            }
          }
          case 4 -> {
            counter.addAndGet(1L);
            System.out.println("INC");
          }
          default -> {
            lock.lock();
            try {
              System.out.println("LOCKED " + System.nanoTime());
              guarded.set(guarded.get() + 1);
              System.out.println("UNLOCKING " + System.nanoTime());
            } finally {
              lock.unlock();
            }
          }
        }
      }
      worker.close();
    }
  }
}
