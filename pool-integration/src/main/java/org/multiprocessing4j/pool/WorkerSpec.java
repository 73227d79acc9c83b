package org.multiprocessing4j.pool;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every worker of one pool is started with, fixed when the pool starts: its JVM options
 * (start-up options first, then the caller's), its environment (the manager's, so that proxies
 * reconnect inside tasks), the serialized initializer, and how long it may take to connect and run
 * the initializer.
 *
 * <p>Immutable (the initializer's bytes are never written after construction).
 */
final class WorkerSpec {
  private static final byte[] NO_INITIALIZER = new byte[0];

  final List<String> jvmOptions;
  final Map<String, String> environment;
  final byte[] initializer;
  final Duration startTimeout;

  /**
   * The workers' start-up from the builder's options.
   *
   * @throws TaskSerializationException if the initializer cannot be serialized
   */
  WorkerSpec(ProcessPool.Builder options) {
    initializer = serialize(options.initializer);
    List<String> all = new ArrayList<>(ChildJvmSupport.startupOptions(options.jvmOptions));
    all.addAll(options.jvmOptions);
    jvmOptions = List.copyOf(all);
    environment =
        options.manager == null ? Map.of() : Map.copyOf(options.manager.childEnvironment());
    startTimeout = options.startTimeout;
  }

  private static byte[] serialize(SerializableRunnable initializer) {
    if (initializer == null) {
      return NO_INITIALIZER;
    }
    try {
      return Wire.serialize(initializer);
    } catch (IOException | RuntimeException e) {
      throw new TaskSerializationException("the initializer cannot be serialized: " + e, e);
    }
  }
}
