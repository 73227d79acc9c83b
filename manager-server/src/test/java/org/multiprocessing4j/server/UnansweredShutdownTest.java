package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * {@code shutdown()} of a manager that does not answer (its thread busy with a long request) gives
 * up after its bound and says so, instead of waiting the ~20 s a frozen manager takes the keepalive
 * to notice; the handle is closed either way.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnansweredShutdownTest {
  private static final byte[] KEY = "unanswered-shutdown-key".getBytes(StandardCharsets.UTF_8);

  // Longer than shutdown()'s 5 s bound: the manager's answer cannot come within it.
  private static final long BUSY_MILLIS = 8_000;

  private static final CountDownLatch WORKING = new CountDownLatch(1);

  /** A user type whose one method keeps the manager's thread for this session busy. */
  public interface Busy {
    long workFor(long millis) throws InterruptedException;
  }

  static final class BusyImpl implements Busy {
    @Override
    public long workFor(long millis) throws InterruptedException {
      WORKING.countDown();
      Thread.sleep(millis); // a long request on the manager's transport thread
      return millis;
    }
  }

  // Its own manager: the shutdown request is processed once the work is done.
  @RegisterExtension
  final ServerExtension<ManagerServer> server =
      TestServers.tcp(KEY, b -> b.register("busy", args -> new BusyImpl(), Busy.class))
          .forEachTest();

  @Test
  void aShutdownTheManagerDoesNotAnswerInTimeClosesTheHandleAndSaysSo() throws Exception {
    Manager m = Manager.connect(server.target(), KEY);
    Busy busy = m.create("busy", Busy.class);
    FutureTask<Long> work = new FutureTask<>(() -> busy.workFor(BUSY_MILLIS));
    Thread worker = new Thread(work, "busy-caller");
    worker.setDaemon(true);
    worker.start();
    assertTrue(WORKING.await(30, TimeUnit.SECONDS), "the manager never started the work");

    ManagerUnavailableException e = assertThrows(ManagerUnavailableException.class, m::shutdown);
    assertTrue(e.getMessage().contains("did not answer the shutdown request"), e.getMessage());
    assertTrue(e.getMessage().contains(server.target()), e.getMessage());
    ManagerException afterwards = assertThrows(ManagerException.class, m::list);
    assertEquals(ManagerException.Code.MANAGER_SHUT_DOWN, afterwards.code(), afterwards.toString());
  }
}
