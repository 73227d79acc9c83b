package org.multiprocessing4j.internal.proxy;

import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.AsyncSharedValue;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.internal.wire.methods.ValueMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/** Proxy of a manager-held value. */
final class ValueProxy<T> extends LockBoundProxy implements SharedValue<T> {
  private static final long serialVersionUID = 1L;

  ValueProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.VALUE, ValueMethod.GET_LOCK);
  }

  @SuppressWarnings("unchecked")
  private T typed(Object value) {
    return (T) value;
  }

  /**
   * One round trip: {@code Value(7)}, the value as this client decodes it (a user-codec value by
   * its own {@code toString}); the manager's description if this client cannot decode it.
   */
  @Override
  public String toString() {
    try {
      return "Value(" + get() + ")";
    } catch (ManagerException e) {
      if (e.code() != ManagerException.Code.UNSUPPORTED_VALUE) {
        throw e;
      }
      return super.toString();
    }
  }

  @Override
  public T get() {
    return typed(call(ValueMethod.GET));
  }

  @Override
  public void set(T value) {
    call(ValueMethod.SET, value);
  }

  @Override
  public T getAndSet(T value) {
    return typed(call(ValueMethod.GET_AND_SET, value));
  }

  @Override
  public boolean compareAndSet(T expected, T update) {
    return (Boolean) call(ValueMethod.COMPARE_AND_SET, expected, update);
  }

  @Override
  public T addAndGet(T delta) {
    return typed(call(ValueMethod.ADD_AND_GET, delta));
  }

  @Override
  public T getAndAdd(T delta) {
    return typed(call(ValueMethod.GET_AND_ADD, delta));
  }

  @Override
  public AsyncSharedValue<T> async() {
    return new Async();
  }

  /** Inner (not static): holding the view keeps the proxy, and so its reference, alive. */
  private final class Async implements AsyncSharedValue<T> {
    @Override
    public CompletableFuture<T> get() {
      return handle.callAsync(ValueMethod.GET).thenApply(ValueProxy.this::typed);
    }

    @Override
    public CompletableFuture<Void> set(T value) {
      return handle.callAsync(ValueMethod.SET, value).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<T> addAndGet(T delta) {
      return handle.callAsync(ValueMethod.ADD_AND_GET, delta).thenApply(ValueProxy.this::typed);
    }

    @Override
    public CompletableFuture<Boolean> compareAndSet(T expected, T update) {
      return handle
          .callAsync(ValueMethod.COMPARE_AND_SET, expected, update)
          .thenApply(Boolean.class::cast);
    }
  }
}
