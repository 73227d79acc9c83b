package org.multiprocessing4j.internal.proxy;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.internal.wire.methods.SharedMethod;
import org.multiprocessing4j.spi.Invoker;

/**
 * The part every proxy shares, whatever it extends: the invoker, the referent's id and type, the
 * release of its manager-side reference once the owning proxy is unreachable, and its serialized
 * form.
 */
final class ProxyHandle {
  // One daemon thread for the process; a release is a non-blocking send.
  private static final Cleaner CLEANER = Cleaner.create();

  /** System property: how long a serialized proxy keeps its original alive (default 60 s). */
  static final String SERIALIZED_GRACE_PROPERTY = "mp4j.serializedProxyGraceSeconds";

  // Holds recently serialized proxies until their grace period ends; one daemon thread.
  private static final ScheduledExecutorService KEEP_ALIVE =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "mp4j-serialized-proxies");
            thread.setDaemon(true);
            return thread;
          });

  final Invoker invoker;
  final long objectId;
  final String typeId;

  private ProxyHandle(Invoker invoker, long objectId, String typeId) {
    this.invoker = invoker;
    this.objectId = objectId;
    this.typeId = typeId;
  }

  /**
   * Creates the handle and arranges the release of one reference when {@code owner} is unreachable.
   */
  static ProxyHandle attach(Object owner, Invoker invoker, long objectId, String typeId) {
    // The action must not capture `owner`, or it would never become unreachable.
    CLEANER.register(owner, () -> invoker.release(objectId));
    return new ProxyHandle(invoker, objectId, typeId);
  }

  // The one place a proxy's method becomes its wire name.
  Object call(SharedMethod method, Object... args) {
    return invoker.invoke(objectId, method.wireName(), args);
  }

  /** A call the manager may park; see {@link Invoker#invokeBlocking}. */
  Object callBlocking(SharedMethod method, long timeoutNanos, Object... args)
      throws InterruptedException {
    return invoker.invokeBlocking(objectId, method.wireName(), timeoutNanos, args);
  }

  /**
   * A parked call that an interrupt does not cancel; see {@link
   * Invoker#invokeBlockingUninterruptibly}.
   */
  Object callBlockingUninterruptibly(SharedMethod method, long timeoutNanos, Object... args) {
    return invoker.invokeBlockingUninterruptibly(objectId, method.wireName(), timeoutNanos, args);
  }

  /** Sends the call without waiting; see {@link Invoker#invokeAsync}. */
  CompletableFuture<Object> callAsync(SharedMethod method, Object... args) {
    return invoker.invokeAsync(objectId, method.wireName(), args);
  }

  /**
   * A query that takes any object and answers with a boolean or an index ({@code contains}, {@code
   * indexOf}, {@code containsKey}, ...). An argument outside the connection's value model is
   * refused before anything is sent, and nothing held by the manager can equal it as far as this
   * client can tell: that is the collections' optional {@link ClassCastException} ("incompatible
   * type"), not a failure of the manager. The reply of such a query always decodes, so {@code
   * UNSUPPORTED_VALUE} here can only be about the argument.
   */
  Object query(SharedMethod method, Object... args) {
    try {
      return call(method, args);
    } catch (ManagerException e) {
      throw incompatible(e);
    }
  }

  /**
   * {@code e} itself, or a {@link ClassCastException} (caused by it) if a value could not be sent.
   */
  private static RuntimeException incompatible(ManagerException e) {
    if (e.code() != ManagerException.Code.UNSUPPORTED_VALUE) {
      return e;
    }
    ClassCastException incompatible = new ClassCastException(e.getMessage());
    incompatible.initCause(e);
    return incompatible;
  }

  String target() {
    return invoker.target();
  }

  /**
   * The same referent: the same object id of the same manager instance, whatever address each proxy
   * reached that manager by ({@code localhost:5000} and {@code 127.0.0.1:5000} are one manager).
   * Ids start at 1 in every manager, so the instance tells a proxy that outlived its manager from a
   * new manager's proxy with its id. A proxy whose manager instance is unknown (0: its invoker does
   * not say) is compared by address instead: it is the same referent as another such proxy with the
   * same address and id only, never as one whose instance is known, which keeps equality transitive
   * (two instances at one address would otherwise both equal it).
   */
  boolean sameReferent(SharedObject other) {
    long instance = invoker.managerInstanceId();
    return other.objectId() == objectId
        && managerInstanceId(other) == instance
        && (instance != 0 || other.managerTarget().equals(invoker.target()));
  }

  /**
   * Consistent with {@link #sameReferent}: the address counts only where the instance is unknown.
   */
  int referentHash() {
    long instance = invoker.managerInstanceId();
    return Long.hashCode(objectId) * 31
        + (instance != 0 ? Long.hashCode(instance) : invoker.target().hashCode());
  }

  /**
   * The manager instance of one of this package's proxies ({@link Invoker#managerInstanceId()}); 0
   * for any other object.
   */
  static long managerInstanceId(Object proxy) {
    ProxyHandle handle = of(proxy);
    return handle == null ? 0 : handle.invoker.managerInstanceId();
  }

  /**
   * The handle of one of this package's proxies, a user type's included; null for another object.
   */
  private static ProxyHandle of(Object proxy) {
    if (proxy instanceof AbstractProxy abstractProxy) {
      return abstractProxy.handle;
    } else if (proxy instanceof ListProxy<?> list) {
      return list.handle();
    } else if (proxy instanceof MapProxy<?, ?> map) {
      return map.handle();
    }
    return UserTypeProxy.handleOf(proxy);
  }

  /**
   * The serialized form of {@code owner}. A reference is only a name: if {@code owner} were
   * collected before a copy is deserialized (in another process, or later in this one), its release
   * could free the object in between, and the copy would find nothing. So each serialization keeps
   * {@code owner} reachable for the time a serialized proxy is expected to take to arrive: 60 s, or
   * the system property {@value #SERIALIZED_GRACE_PROPERTY} (0: not at all).
   */
  // the fence is the whole task: it keeps owner reachable until it runs; nobody waits for it
  @SuppressWarnings({"FutureReturnValueIgnored", "ReachabilityFenceUsage"})
  ProxyReference reference(Object owner) {
    long graceSeconds = Long.getLong(SERIALIZED_GRACE_PROPERTY, 60);
    if (graceSeconds > 0) {
      KEEP_ALIVE.schedule(() -> Reference.reachabilityFence(owner), graceSeconds, TimeUnit.SECONDS);
    }
    return new ProxyReference(invoker.target(), invoker.managerInstanceId(), objectId, typeId);
  }
}
