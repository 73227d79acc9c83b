package org.multiprocessing4j.spi;

import org.multiprocessing4j.Manager;

/**
 * Implements {@link Manager}: {@code Manager.start()}, {@code Manager.connect(...)} and the builder
 * find the first provider through {@link java.util.ServiceLoader}, as {@code hostInProcess()} finds
 * a {@link ManagerHostProvider}. The {@code multiprocessing4j-client} jar provides the gRPC
 * implementation.
 *
 * <p>Implementations must be thread-safe: one instance serves every call of the process.
 */
public interface ManagerClientProvider {

  /**
   * Starts a manager (in a child JVM or, for {@link ManagerSettings.Hosting#IN_PROCESS}, through a
   * {@link ManagerHostProvider}) and connects to it; closing the returned manager stops it.
   */
  Manager start(ManagerSettings settings);

  /** Connects to the running manager at {@code target} with {@link ManagerSettings#authkey()}. */
  Manager connect(String target, ManagerSettings settings);

  /**
   * Connects to the manager the environment names ({@link Manager#ENV_MANAGER}, the authkey, and
   * TLS from {@link Manager#ENV_TLS_CA} etc. unless {@code settings} has TLS).
   */
  Manager connectFromEnvironment(ManagerSettings settings);
}
