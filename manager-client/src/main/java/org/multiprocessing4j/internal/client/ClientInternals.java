package org.multiprocessing4j.internal.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import org.multiprocessing4j.Internal;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedObject;

/**
 * Hooks into the gRPC client for multiprocessing4j's own tests in other jars (the manager's
 * conformance suites), which used to share this package. Not for applications. Thread-safe.
 */
@Internal
public final class ClientInternals {
  private ClientInternals() {}

  /**
   * Takes a new reference to object {@code objectId} through {@code manager}, as a reference that
   * arrived by serialization does: returns its proxy.
   *
   * @throws IllegalArgumentException if {@code manager} is not this client's implementation
   */
  public static Object attach(Manager manager, long objectId, String typeId) {
    if (!(manager instanceof GrpcManager grpc)) {
      throw new IllegalArgumentException("not a gRPC manager: " + manager);
    }
    return grpc.attach(objectId, typeId);
  }

  /**
   * Whether the calling threads drive {@code manager}'s transport (our HTTP/2 client) rather than
   * grpc-java's transport thread.
   */
  public static boolean callerDriven(Manager manager) {
    return grpc(manager).session().callerDriven();
  }

  /**
   * Occupies {@code manager}'s sending until {@code release}, as a thread sending a long message
   * would (pipelined calls made meanwhile pile up in the outbox); runs {@code holding} once held.
   */
  public static void holdSending(Manager manager, Runnable holding, CountDownLatch release)
      throws InterruptedException {
    grpc(manager).session().holdSending(holding, release);
  }

  private static GrpcManager grpc(Manager manager) {
    if (!(manager instanceof GrpcManager grpc)) {
      throw new IllegalArgumentException("not a gRPC manager: " + manager);
    }
    return grpc;
  }

  /**
   * The manager's own description of {@code proxy}'s object (waiters, size), asked through {@code
   * manager}: what tests poll for manager-side states no call can wait for. Collection proxies'
   * {@code toString} shows their elements instead.
   *
   * @throws IllegalArgumentException if {@code manager} is not this client's implementation
   */
  public static String describe(Manager manager, SharedObject proxy) {
    if (!(manager instanceof GrpcManager grpc)) {
      throw new IllegalArgumentException("not a gRPC manager: " + manager);
    }
    return grpc.describe(proxy.objectId());
  }

  /** The event-loop thread a client's transport work runs on (one of them). */
  public static Executor transportExecutor() {
    return Channels.transportExecutor();
  }
}
