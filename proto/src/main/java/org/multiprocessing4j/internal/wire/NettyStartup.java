package org.multiprocessing4j.internal.wire;

/**
 * Start-up settings for the Netty inside grpc-netty-shaded, applied before that Netty initializes:
 * internal, shared by the client and the manager, not part of the API.
 *
 * <p>Netty 4.2 registers Flight Recorder events for its buffer allocator whenever the JVM has JFR.
 * The first connection then sets up JFR's event metadata (proxies, generated handler classes):
 * measured on a 2-CPU machine, about 110 ms added to a manager's first connection and about 200 ms
 * to a client process's first connect, paid by every {@code Manager.start()}, worker and client
 * JVM. Those events are only ever recorded by a recording that asks for them, so they are off
 * unless the user set {@value #NETTY_JFR_PROPERTY} (to {@code true} to keep them).
 */
public final class NettyStartup {
  /** grpc-netty-shaded's name for Netty's {@code io.netty.jfr.enabled}. */
  public static final String NETTY_JFR_PROPERTY = "io.grpc.netty.shaded.io.netty.jfr.enabled";

  private NettyStartup() {}

  /**
   * Turns Netty's JFR events off unless the property is set. Effective only before the shaded
   * Netty's {@code PlatformDependent} initializes: callers run it from static initializers of the
   * classes that first touch Netty. Thread-safe (one system property write).
   */
  public static void apply() {
    if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
      System.setProperty(NETTY_JFR_PROPERTY, "false");
    }
  }
}
