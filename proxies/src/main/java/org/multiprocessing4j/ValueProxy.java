package org.multiprocessing4j;

import org.multiprocessing4j.spi.Invoker;

/** Proxy of a manager-held value. */
final class ValueProxy<T> extends AbstractProxy implements SharedValue<T> {
  private static final long serialVersionUID = 1L;

  // The lock never changes for a value, so the first getLock() result is kept.
  private transient volatile SharedLock lock;

  ValueProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.VALUE);
  }

  @SuppressWarnings("unchecked")
  private T typed(Object value) {
    return (T) value;
  }

  @Override
  public T get() {
    return typed(call("get"));
  }

  @Override
  public void set(T value) {
    call("set", value);
  }

  @Override
  public T getAndSet(T value) {
    return typed(call("getAndSet", value));
  }

  @Override
  public boolean compareAndSet(T expected, T update) {
    return (Boolean) call("compareAndSet", expected, update);
  }

  @Override
  public T addAndGet(T delta) {
    return typed(call("addAndGet", delta));
  }

  @Override
  public T getAndAdd(T delta) {
    return typed(call("getAndAdd", delta));
  }

  @Override
  public SharedLock getLock() {
    SharedLock current = lock;
    if (current == null) {
      current = (SharedLock) call("getLock");
      lock = current;
    }
    return current;
  }
}
