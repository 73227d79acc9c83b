package org.multiprocessing4j.spi;

import java.io.IOException;

/**
 * Hosts a manager inside this JVM, for {@code Manager.builder().hostInProcess()}. The {@code
 * multiprocessing4j-server} jar provides it through {@link java.util.ServiceLoader}.
 */
public interface ManagerHostProvider {

  /**
   * Starts a manager bound to {@code bindTarget} ({@code host:port}, {@code unix:///path} or {@code
   * inprocess:name}).
   */
  Host start(String bindTarget, byte[] authkey, int maxMessageBytes) throws IOException;

  /** A running manager. */
  interface Host extends AutoCloseable {
    /** Where clients connect. */
    String target();

    /** Shuts the manager down. */
    @Override
    void close();
  }
}
