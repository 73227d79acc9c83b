package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * The lease counts a client's silence, not the manager's: while the manager works on a client's
 * request (a cold manager under load once spent over two seconds in its first {@code stats()}), the
 * client waits for it and its Pongs wait unread, so it is not expired for that time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaseWhileWorkingTest {
  private static final byte[] KEY = "lease-working-key".getBytes(StandardCharsets.UTF_8);
  private static final Duration LEASE = Duration.ofSeconds(2);

  /** A user type whose one method keeps the manager busy. */
  public interface Slow {
    /** Works for {@code millis} in the manager, on its transport thread, then returns them. */
    long workFor(long millis) throws InterruptedException;
  }

  static final class SlowImpl implements Slow {
    @Override
    public long workFor(long millis) throws InterruptedException {
      Thread.sleep(millis); // stands for a long request: the lease must not run meanwhile
      return millis;
    }
  }

  @RegisterExtension
  static final ServerExtension<ManagerServer> SERVER =
      TestServers.tcp(
          KEY, b -> b.leaseTimeout(LEASE).register("slow", args -> new SlowImpl(), Slow.class));

  @Test
  void aRequestLongerThanTheLeaseDoesNotExpireTheClientWaitingForIt() throws Exception {
    ManagerServer server = SERVER.server();
    try (Manager m = Manager.connect(server.target(), KEY)) {
      SharedList<Integer> list = m.list();
      list.add(1);
      Slow slow = m.create("slow", Slow.class);
      long millis = LEASE.multipliedBy(3).dividedBy(2).toMillis();
      assertEquals(millis, slow.workFor(millis));
      // The session lives on: its list is still there and a call goes through.
      list.add(2);
      assertEquals(2, list.size());
      assertEquals(1, server.sessionCount());
    }
  }
}
