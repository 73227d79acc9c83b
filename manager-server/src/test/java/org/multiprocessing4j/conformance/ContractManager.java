package org.multiprocessing4j.conformance;

import java.nio.charset.StandardCharsets;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.testsupport.HostedManager;
import org.multiprocessing4j.testsupport.ManagerTier;

/**
 * One manager on a real TCP socket for the Guava collection-contract suites, started on first use
 * and shared by them (the suites create thousands of collections; one server keeps that cheap).
 * JUnit 3 suites have no suite-level tear-down, so a shutdown hook closes it.
 */
final class ContractManager {
  static final byte[] KEY = "guava-contract-key".getBytes(StandardCharsets.UTF_8);

  private ContractManager() {}

  static Manager get() {
    return Holder.MANAGER;
  }

  // Initialization-on-demand: the server starts when a generator first creates a collection.
  private static final class Holder {
    static final Manager MANAGER = start();

    // JUnit 3 suites cannot use the JUnit 5 extension; they start their tier's manager directly.
    private static Manager start() {
      HostedManager hosted = ManagerTier.TCP.start(KEY);
      Runtime.getRuntime().addShutdownHook(new Thread(hosted::close, "contract-manager-shutdown"));
      return hosted.manager();
    }
  }
}
