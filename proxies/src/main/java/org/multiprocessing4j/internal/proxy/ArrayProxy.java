package org.multiprocessing4j.internal.proxy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.multiprocessing4j.SharedArray;
import org.multiprocessing4j.internal.wire.methods.ArrayMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/** Proxy of a manager-held typed array. */
final class ArrayProxy<E> extends LockBoundProxy implements SharedArray<E> {
  private static final long serialVersionUID = 1L;

  ArrayProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.ARRAY, ArrayMethod.GET_LOCK);
  }

  @SuppressWarnings("unchecked")
  private E typed(Object value) {
    return (E) value;
  }

  @SuppressWarnings("unchecked")
  private List<E> typedList(Object value) {
    return (List<E>) value;
  }

  @Override
  public int length() {
    return (Integer) call(ArrayMethod.LENGTH);
  }

  @Override
  public E get(int index) {
    return typed(call(ArrayMethod.GET, index));
  }

  @Override
  public void set(int index, E value) {
    call(ArrayMethod.SET, index, value);
  }

  @Override
  public E addAndGet(int index, E delta) {
    return typed(call(ArrayMethod.ADD_AND_GET, index, delta));
  }

  @Override
  public List<E> slice(int from, int to) {
    return typedList(call(ArrayMethod.SLICE, from, to));
  }

  @Override
  public void setSlice(int from, List<? extends E> values) {
    call(ArrayMethod.SET_SLICE, from, new ArrayList<>(values));
  }

  @Override
  public List<E> toList() {
    return typedList(call(ArrayMethod.TO_LIST));
  }

  @Override
  public Iterator<E> iterator() {
    return toList().iterator();
  }
}
