package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.netty.shaded.io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.internal.wire.NettyStartup;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.HostedManager;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * Netty's Flight Recorder events are off in processes that run a manager or a client, unless the
 * user asked for them: they cost a manager's first connection about 110 ms and a client's first
 * connect about 200 ms. Checked in fresh JVMs, where nothing touched Netty before our classes.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@WithManager(value = ManagerTier.TCP, authkey = "netty-startup-test")
class NettyStartupTest {
  private static final byte[] KEY = "netty-startup-test".getBytes(StandardCharsets.UTF_8);

  @Test
  void aManagerLeavesNettysFlightRecorderEventsOff() throws Exception {
    assertEquals("jfr=false", runProbe(List.of(), "manager"));
  }

  @Test
  void aClientLeavesNettysFlightRecorderEventsOff(HostedManager manager) throws Exception {
    assertEquals("jfr=false list=[1, 2]", runProbe(List.of(), "client", manager.target()));
  }

  @Test
  void aUserWhoAsksForNettysFlightRecorderEventsGetsThem() throws Exception {
    assertEquals(
        "jfr=true", runProbe(List.of("-D" + NettyStartup.NETTY_JFR_PROPERTY + "=true"), "manager"));
  }

  @Test
  void applyKeepsAValueTheUserSet() {
    String before = System.getProperty(NettyStartup.NETTY_JFR_PROPERTY);
    try {
      System.clearProperty(NettyStartup.NETTY_JFR_PROPERTY);
      NettyStartup.apply();
      assertEquals("false", System.getProperty(NettyStartup.NETTY_JFR_PROPERTY));
      System.setProperty(NettyStartup.NETTY_JFR_PROPERTY, "true");
      NettyStartup.apply();
      assertEquals("true", System.getProperty(NettyStartup.NETTY_JFR_PROPERTY));
    } finally {
      if (before == null) {
        System.clearProperty(NettyStartup.NETTY_JFR_PROPERTY);
      } else {
        System.setProperty(NettyStartup.NETTY_JFR_PROPERTY, before);
      }
    }
  }

  /** Runs {@link Probe} in a fresh JVM and returns its one line of output. */
  private static String runProbe(List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(ChildJvm.command(jvmOptions, Probe.class.getName(), args))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    return ChildJvm.finish(process, 0).trim();
  }

  /**
   * {@code manager}: starts a manager on a real socket; {@code client TARGET}: connects to one and
   * makes a call. Either way, prints what Netty decided.
   */
  static final class Probe {
    public static void main(String[] args) throws Exception {
      if (args[0].equals("manager")) {
        // the probe is the fresh JVM's main: it starts its manager itself, as a sidecar does
        ManagerServer server =
            ManagerServer.builder().authkey(KEY).tcp("127.0.0.1", 0).build().start();
        System.out.println("jfr=" + PlatformDependent.isJfrEnabled());
        server.close();
      } else {
        try (Manager manager = Manager.connect(args[1], KEY)) {
          SharedList<Integer> list = manager.list(List.of(1, 2));
          System.out.println("jfr=" + PlatformDependent.isJfrEnabled() + " list=" + list.copy());
        }
      }
    }
  }
}
