package org.multiprocessing4j.spi;

import java.util.concurrent.CompletableFuture;

/**
 * What a proxy needs from a manager connection: turn a method call into a round trip. Arguments and
 * results are plain Java values of the supported value model (and proxies); the implementation
 * copies them across the wire, so a proxy never shares a mutable object with the caller.
 *
 * <p>This is a service-provider interface between the proxies (in {@code multiprocessing4j-api})
 * and the client ({@code multiprocessing4j-client}), and for tests that run proxies against an
 * in-memory invoker. Applications use {@code org.multiprocessing4j.Manager}.
 *
 * <p>Implementations must be thread-safe: any number of threads may call through one invoker.
 */
public interface Invoker {

  /**
   * Calls {@code method} on the referent with id {@code objectId}: one round trip, atomic on the
   * manager. Exceptions raised by the referent arrive as the same JDK type where one fits.
   */
  Object invoke(long objectId, String method, Object... args);

  /**
   * Calls a method the manager may park (a queue {@code take}, a lock {@code acquire}). The wait
   * happens on the manager and costs it no thread. {@code timeoutNanos} bounds it (negative means
   * no bound); the referent decides what a timeout returns.
   *
   * <p>If the calling thread is interrupted, the wait is cancelled on the manager. If the manager
   * had already completed the call, its result is returned with the thread's interrupt status set,
   * so nothing (an item, a permit) is lost; otherwise {@link InterruptedException} is thrown.
   */
  Object invokeBlocking(long objectId, String method, long timeoutNanos, Object... args)
      throws InterruptedException;

  /**
   * Calls a method the manager may park, as {@link #invokeBlocking}, but an interrupt does not
   * cancel the wait: the call keeps its place on the manager until it completes (as {@code
   * Condition.awaitUninterruptibly} stays queued), and the thread's interrupt status is set on
   * return if it was interrupted meanwhile. Withdrawing and re-issuing the call instead would lose
   * a signal sent in between.
   */
  Object invokeBlockingUninterruptibly(
      long objectId, String method, long timeoutNanos, Object... args);

  /**
   * Sends the call without waiting for its reply. Calls sent from one thread run on the manager in
   * the order they were sent.
   */
  CompletableFuture<Object> invokeAsync(long objectId, String method, Object... args);

  /** Creates a new shared object of a registered type; returns its proxy. */
  Object create(String typeId, Object... args);

  /** Tells the manager one proxy instance of {@code objectId} is gone. Never blocks. */
  void release(long objectId);

  /** Where the manager is, as accepted by {@code Manager.connect}: used to serialize proxies. */
  String target();

  /**
   * Which manager this is (its Welcome's {@code manager_instance_id}), carried by serialized
   * proxies so that a manager started since at the same address refuses them; 0 if unknown.
   */
  default long managerInstanceId() {
    return 0;
  }
}
