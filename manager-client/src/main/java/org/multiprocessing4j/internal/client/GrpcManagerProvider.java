package org.multiprocessing4j.internal.client;

import org.multiprocessing4j.Internal;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.spi.ManagerClientProvider;
import org.multiprocessing4j.spi.ManagerSettings;

/**
 * The gRPC {@link Manager}, as {@code Manager} finds it through {@link java.util.ServiceLoader}.
 * Stateless, so thread-safe.
 */
@Internal
public final class GrpcManagerProvider implements ManagerClientProvider {

  @Override
  public Manager start(ManagerSettings settings) {
    return GrpcManager.start(settings);
  }

  @Override
  public Manager connect(String target, ManagerSettings settings) {
    return GrpcManager.connect(settings, target, null);
  }

  @Override
  public Manager connectFromEnvironment(ManagerSettings settings) {
    return GrpcManager.connectFromEnvironment(settings);
  }
}
