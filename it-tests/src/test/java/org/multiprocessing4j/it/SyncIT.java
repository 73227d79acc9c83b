package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedConnection;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedPipe;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/** Locks and pipes across real JVMs, including a lock holder killed with {@code kill -9}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager(ManagerTier.CHILD_JVM)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SyncIT {
  private static final Duration EXIT = Duration.ofMinutes(1);
  private final Manager m;

  SyncIT(Manager m) {
    this.m = m;
  }

  // --- processes printing under a shared lock (the seed's Lock example)

  static final int ROUNDS = 5;
  static final int LINES = 4;

  /** args: lock, worker name, shared output file. Writes blocks of lines under the lock. */
  static final class Printer {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedLock lock = ProxyArgs.decode(m, args[0]);
        Path out = Path.of(args[2]);
        for (int round = 0; round < ROUNDS; round++) {
          lock.lock();
          try {
            for (int line = 0; line < LINES; line++) {
              String text = args[1] + " round " + round + " line " + line + "\n";
              System.out.print(text);
              Files.writeString(out, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
              Thread.sleep(2); // invites interleaving, were the lock not held
            }
          } finally {
            lock.unlock();
          }
        }
      }
    }
  }

  @Test
  void lock_processesPrintWithoutInterleaving() throws Exception {
    SharedLock lock = m.lock();
    Path out = Files.createTempFile("mp4j-printing", ".txt");
    List<ChildJvm> printers = new ArrayList<>();
    try {
      for (int w = 0; w < 4; w++) {
        printers.add(
            ChildJvm.start(
                Printer.class,
                m.childEnvironment(),
                ProxyArgs.encode(lock),
                "worker-" + w,
                out.toString()));
      }
      for (ChildJvm printer : printers) {
        printer.assertSucceeds(EXIT);
      }
      List<String> lines = Files.readAllLines(out);
      assertEquals(4 * ROUNDS * LINES, lines.size());
      for (int block = 0; block < lines.size(); block += LINES) {
        String owner = lines.get(block).substring(0, lines.get(block).indexOf(" line "));
        for (int line = 0; line < LINES; line++) {
          assertEquals(owner + " line " + line, lines.get(block + line), "block at " + block);
        }
      }
      assertFalse(lock.isLocked());
    } finally {
      printers.forEach(ChildJvm::close);
      Files.deleteIfExists(out);
    }
  }

  // --- a lock holder killed with kill -9: the waiter gets the lock

  /** args: lock. Takes the lock and keeps it until killed. */
  static final class Holder {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedLock lock = ProxyArgs.decode(m, args[0]);
        lock.lock();
        System.out.println("LOCKED");
        while (true) {
          Thread.sleep(60_000);
        }
      }
    }
  }

  /** args: lock. Waits for the lock, reports it, releases it. */
  static final class Waiter {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedLock lock = ProxyArgs.decode(m, args[0]);
        System.out.println("WAITING");
        lock.lock();
        try {
          System.out.println("ACQUIRED");
        } finally {
          lock.unlock();
        }
      }
    }
  }

  @Test
  void killedLockHolder_waiterInAnotherJvmAcquiresWithinFiveSeconds() throws Exception {
    for (SharedLock lock : List.of(m.lock(), m.rlock())) {
      String lockArg = ProxyArgs.encode(lock);
      try (ChildJvm holder = ChildJvm.start(Holder.class, m.childEnvironment(), lockArg);
          ChildJvm waiter = startWaiterOnce(holder, lockArg)) {
        awaitWaiting(lock);
        long killedAt = System.nanoTime();
        holder.killHard();
        waiter.awaitOutput("ACQUIRED", Duration.ofSeconds(5));
        System.out.printf(
            "%s: waiter acquired %d ms after kill -9 of the holder%n",
            lock.typeId(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        waiter.assertSucceeds(EXIT);
        assertFalse(lock.isLocked());
      }
    }
  }

  private ChildJvm startWaiterOnce(ChildJvm holder, String lockArg) throws InterruptedException {
    holder.awaitOutput("LOCKED", EXIT);
    return ChildJvm.start(Waiter.class, m.childEnvironment(), lockArg);
  }

  private static void awaitWaiting(SharedLock lock) throws InterruptedException {
    long deadline = System.nanoTime() + EXIT.toNanos();
    while (!lock.toString().contains("1 waiting")) {
      assertTrue(System.nanoTime() < deadline, "the waiter never queued: " + lock);
      Thread.sleep(20);
    }
  }

  // --- a duplex pipe between two JVMs

  /** args: pipe end, role (ping|pong), rounds. */
  static final class PipeEnd {
    public static void main(String[] args) throws Exception {
      try (Manager m = Manager.connectFromEnvironment()) {
        SharedConnection conn = ProxyArgs.decode(m, args[0]);
        int rounds = Integer.parseInt(args[2]);
        if (args[1].equals("ping")) {
          for (int i = 0; i < rounds; i++) {
            conn.send("ping " + i);
            Object reply = conn.recv();
            if (!("pong " + i).equals(reply)) {
              throw new AssertionError("expected pong " + i + ", got " + reply);
            }
          }
          conn.close();
          System.out.println("PINGER DONE");
        } else {
          int answered = 0;
          try {
            while (true) {
              String ping = (String) conn.recv();
              conn.send(ping.replace("ping", "pong"));
              answered++;
            }
          } catch (EOFException e) {
            System.out.println("PONGER EOF after " + answered);
          }
        }
      }
    }
  }

  @Test
  void duplexPipe_twoJvmsTalkUntilOneCloses() throws Exception {
    SharedPipe pipe = m.pipe();
    String second = ProxyArgs.encode(pipe.second());
    String first = ProxyArgs.encode(pipe.first());
    try (ChildJvm ponger =
            ChildJvm.start(PipeEnd.class, m.childEnvironment(), second, "pong", "50");
        ChildJvm pinger =
            ChildJvm.start(PipeEnd.class, m.childEnvironment(), first, "ping", "50")) {
      pinger.assertSucceeds(EXIT);
      ponger.assertSucceeds(EXIT);
      assertTrue(pinger.output().contains("PINGER DONE"), pinger.output());
      assertTrue(ponger.output().contains("PONGER EOF after 50"), ponger.output());
    }
  }
}
