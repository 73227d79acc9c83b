package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.server.ManagerServer;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * A client frozen with SIGSTOP (a debugger, a paused container, a swap storm) while it holds a
 * lock: its lease expires, the manager releases its lock and references so waiters proceed, and
 * when it resumes its next call fails with a clear error instead of acting on a session that no
 * longer exists.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LeaseExpiryIT {
  private static final byte[] KEY = "lease-key".getBytes(StandardCharsets.UTF_8);
  private static final Duration LEASE = Duration.ofSeconds(2);

  // A manager in this JVM with a short lease (this module has no server helper of its own).
  @RegisterExtension
  static final ServerExtension<ManagerServer> SERVER =
      ServerExtension.of(
          KEY,
          key -> ManagerServer.builder().authkey(key).leaseTimeout(LEASE).build().start(),
          ManagerServer::target);

  @Test
  void aStoppedClientLosesItsLockAndSessionAndIsToldSoWhenItResumes() throws Exception {
    ManagerServer server = SERVER.server();
    try (Manager m = Manager.connect(server.target(), KEY)) {
      SharedLock lock = m.lock();
      long baseline = m.stats().objectCount();
      Map<String, String> env =
          Map.of(
              Manager.ENV_MANAGER,
              server.target(),
              Manager.ENV_AUTHKEY,
              new String(KEY, StandardCharsets.UTF_8));
      try (ChildJvm holder = ChildJvm.start(Holder.class, env, ProxyArgs.encode(lock))) {
        holder.awaitOutput("HOLDING", Duration.ofSeconds(60));
        assertFalse(lock.tryLock(), "the holder should own the lock");
        assertEquals(baseline + 1, m.stats().objectCount(), "the holder's own list");

        signal("STOP", holder.pid());
        long stopped = System.nanoTime();
        // The lease expires (no keepalive answers) and the manager releases the frozen
        // client's lock: this waiter gets it.
        assertTrue(lock.tryLock(30, TimeUnit.SECONDS), "the lock was not released");
        Duration waited = Duration.ofNanos(System.nanoTime() - stopped);
        assertTrue(waited.compareTo(LEASE.multipliedBy(5)) < 0, "released only after " + waited);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (m.stats().objectCount() != baseline && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals(baseline, m.stats().objectCount(), "the frozen client's list leaked");

        signal("CONT", holder.pid());
        holder.awaitOutput("FAILED", Duration.ofSeconds(30));
        String output = holder.output();
        assertTrue(output.contains("FAILED SESSION_EXPIRED"), output);
        assertFalse(output.contains("SUCCEEDED"), output);
        assertEquals(0, holder.awaitExit(Duration.ofSeconds(30)), output);
        // The resumed client did not disturb the lock's new owner.
        assertTrue(lock.isLocked());
        lock.unlock();
      }
    }
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
  }

  /** Takes the lock it is handed, then calls the manager every 100 ms until a call fails. */
  public static final class Holder {
    private Holder() {}

    public static void main(String[] args) throws Exception {
      Manager worker = Manager.connectFromEnvironment();
      SharedLock lock = ProxyArgs.decode(worker, args[0]);
      SharedList<Integer> list = worker.list(List.of(1));
      lock.lock();
      System.out.println("HOLDING");
      while (true) {
        Thread.sleep(100);
        try {
          list.add(2);
          lock.isLocked();
        } catch (ManagerException e) {
          System.out.println("FAILED " + e.code() + " " + e.getMessage());
          break;
        }
      }
      try {
        lock.unlock();
        System.out.println("SUCCEEDED in unlocking after the session ended");
      } catch (ManagerException e) {
        System.out.println("unlock refused too: " + e.code());
      }
      worker.close();
    }
  }
}
