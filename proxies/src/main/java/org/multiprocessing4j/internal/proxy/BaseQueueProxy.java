package org.multiprocessing4j.internal.proxy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.internal.wire.methods.QueueMethod;
import org.multiprocessing4j.spi.Invoker;

/**
 * The {@link SharedQueue} part of the queue proxies. Nulls are rejected here, before a round trip;
 * blocking methods are parked calls on the manager (see {@link Invoker#invokeBlocking}).
 */
abstract class BaseQueueProxy<E> extends AbstractProxy implements SharedQueue<E> {
  private static final long serialVersionUID = 1L;

  BaseQueueProxy(Invoker invoker, long objectId, String typeId) {
    super(invoker, objectId, typeId);
  }

  @SuppressWarnings("unchecked")
  final E element(Object value) {
    return (E) value;
  }

  private static <T> T nonNull(T element) {
    return requireNonNull(element, "queues do not accept null elements; use an end marker");
  }

  // --- insertion

  @Override
  public boolean add(E element) {
    if (!offer(element)) {
      throw new IllegalStateException("Queue full");
    }
    return true;
  }

  @Override
  public boolean offer(E element) {
    return (Boolean) call(QueueMethod.PUT, nonNull(element));
  }

  @Override
  public void put(E element) throws InterruptedException {
    blocking(QueueMethod.PUT, Blocking.FOREVER, nonNull(element));
  }

  @Override
  public boolean offer(E element, long timeout, TimeUnit unit) throws InterruptedException {
    nonNull(element);
    long nanos = Blocking.nanos(timeout, unit);
    return (Boolean) blocking(QueueMethod.PUT, nanos, element);
  }

  @Override
  public void putNowait(E element) {
    add(element);
  }

  /** One round trip; inserts what fits, in order, then throws if something did not fit. */
  @Override
  @SuppressWarnings("UndefinedEquals") // proxies are equal when they name the same remote queue
  public boolean addAll(Collection<? extends E> elements) {
    requireNonNull(elements, "elements");
    if (elements == this || equals(elements)) {
      throw new IllegalArgumentException("a queue cannot add all of itself");
    }
    List<E> copy = new ArrayList<>(elements);
    copy.forEach(BaseQueueProxy::nonNull);
    int added = (Integer) call(QueueMethod.ADD_ALL, copy);
    if (added < copy.size()) {
      throw new IllegalStateException(
          "Queue full: " + added + " of " + copy.size() + " elements were added");
    }
    return added > 0;
  }

  // --- removal

  @Override
  public E take() throws InterruptedException {
    return element(blocking(QueueMethod.GET, Blocking.FOREVER));
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    return element(blocking(QueueMethod.GET, Blocking.nanos(timeout, unit)));
  }

  @Override
  public E poll() {
    return element(call(QueueMethod.GET));
  }

  @Override
  public E remove() {
    E head = poll();
    if (head == null) {
      throw new NoSuchElementException("Queue empty");
    }
    return head;
  }

  @Override
  public E getNowait() {
    return remove();
  }

  @Override
  public boolean remove(Object o) {
    return o != null && (Boolean) handle.query(QueueMethod.REMOVE, o);
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    return (Boolean) handle.query(QueueMethod.REMOVE_ALL, new ArrayList<>(requireNonNull(c, "c")));
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    return (Boolean) handle.query(QueueMethod.RETAIN_ALL, new ArrayList<>(requireNonNull(c, "c")));
  }

  @Override
  public void clear() {
    call(QueueMethod.CLEAR);
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  /** One round trip: the elements are removed on the manager, then added to {@code c} here. */
  @Override
  @SuppressWarnings("UndefinedEquals") // proxies are equal when they name the same remote queue
  public int drainTo(Collection<? super E> c, int maxElements) {
    requireNonNull(c, "c");
    if (c == this || equals(c)) {
      throw new IllegalArgumentException("a queue cannot drain into itself");
    }
    if (maxElements <= 0) {
      return 0;
    }
    int max = maxElements == Integer.MAX_VALUE ? -1 : maxElements;
    List<?> drained = (List<?>) call(QueueMethod.DRAIN, max);
    for (Object item : drained) {
      c.add(element(item));
    }
    return drained.size();
  }

  // --- examination

  @Override
  public E peek() {
    return element(call(QueueMethod.PEEK));
  }

  @Override
  public E element() {
    E head = peek();
    if (head == null) {
      throw new NoSuchElementException("Queue empty");
    }
    return head;
  }

  @Override
  public int size() {
    return (Integer) call(QueueMethod.SIZE);
  }

  @Override
  public int qsize() {
    return size();
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public boolean empty() {
    return isEmpty();
  }

  @Override
  public boolean full() {
    return (Boolean) call(QueueMethod.FULL);
  }

  /** {@link Integer#MAX_VALUE} for an unbounded queue. */
  @Override
  public int remainingCapacity() {
    return (Integer) call(QueueMethod.REMAINING_CAPACITY);
  }

  @Override
  public boolean contains(Object o) {
    return o != null && (Boolean) handle.query(QueueMethod.CONTAINS, o);
  }

  @Override
  public boolean containsAll(Collection<?> c) {
    return (Boolean)
        handle.query(QueueMethod.CONTAINS_ALL, new ArrayList<>(requireNonNull(c, "c")));
  }

  /** A copy of the elements, head first (one round trip). */
  List<E> snapshot() {
    List<?> copy = (List<?>) call(QueueMethod.COPY);
    List<E> typed = new ArrayList<>(copy.size());
    for (Object item : copy) {
      typed.add(element(item));
    }
    return typed;
  }

  @Override
  public Object[] toArray() {
    return snapshot().toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return snapshot().toArray(a);
  }

  /** One round trip: {@code [1, 2]}, head first, as {@code AbstractCollection} renders. */
  @Override
  public String toString() {
    return CollectionText.ofElements(handle, this::snapshot);
  }

  /** Walks a snapshot; {@code remove()} removes the first equal element from the live queue. */
  @Override
  public Iterator<E> iterator() {
    Iterator<E> copy = snapshot().iterator();
    return new Iterator<E>() {
      private E last;

      @Override
      public boolean hasNext() {
        return copy.hasNext();
      }

      @Override
      public E next() {
        last = copy.next();
        return last;
      }

      @Override
      public void remove() {
        if (last == null) {
          throw new IllegalStateException("next() was not called");
        }
        BaseQueueProxy.this.remove(last);
        last = null;
      }
    };
  }
}
