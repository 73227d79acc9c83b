package org.multiprocessing4j.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.net.InetSocketAddress;
import org.multiprocessing4j.internal.launch.JvmLauncher;

/**
 * A one-member Hazelcast cluster in its own JVM, for {@link PeerBench}: on loopback only, no
 * multicast or other discovery, no phone home. Prints {@code HAZELCAST_MEMBER_LISTENING
 * HOST:PORT/CLUSTER} (the address clients connect to) once it accepts clients, and shuts down when
 * its standard input closes (the benchmark exited).
 *
 * <p>Argument: the cluster name (clients of another cluster name are refused).
 */
public final class HazelcastMember {
  static final String READY = "HAZELCAST_MEMBER_LISTENING ";
  static final String PID_ATTRIBUTE = "pid";

  private HazelcastMember() {}

  public static void main(String[] args) throws Exception {
    String cluster = args[0];
    Config config = new Config();
    config.setClusterName(cluster);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    HazelcastPeer.quietLogging(config.getProperties());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(5701).setPortAutoIncrement(true).setPortCount(100);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    // Clients read it to time the member's CPU from /proc.
    config
        .getMemberAttributeConfig()
        .setAttribute(PID_ATTRIBUTE, Long.toString(ProcessHandle.current().pid()));
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
    InetSocketAddress address = member.getCluster().getLocalMember().getSocketAddress();
    System.out.println(READY + address.getHostString() + ":" + address.getPort() + "/" + cluster);
    System.out.flush();
    Jvm.awaitEndOfInput();
    member.shutdown();
  }

  /** A member like this one, with the JVM options Hazelcast asks for. */
  static JvmLauncher launcher(String cluster) {
    return Jvm.launcher(HazelcastMember.class.getName())
        .jvmOptions(
            "-Dhazelcast.phone.home.enabled=false",
            // Without these Hazelcast warns, and falls back to slower paths for some of its
            // metrics.
            "--add-modules",
            "java.se",
            "--add-exports",
            "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens",
            "java.management/sun.management=ALL-UNNAMED",
            "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED")
        .arguments(cluster);
  }
}
