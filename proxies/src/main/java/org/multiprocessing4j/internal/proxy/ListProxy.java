package org.multiprocessing4j.internal.proxy;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.multiprocessing4j.AsyncSharedList;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.internal.wire.methods.ListMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/**
 * Proxy of a manager-held list. Extends {@link AbstractList} for the derived views ({@code
 * listIterator}, {@code subList}) and overrides every operation that has a one-round-trip form.
 */
final class ListProxy<E> extends AbstractList<E> implements SharedList<E>, Serializable {
  private static final long serialVersionUID = 1L;

  private final transient ProxyHandle handle;

  ListProxy(Invoker invoker, long objectId) {
    this.handle = ProxyHandle.attach(this, invoker, objectId, TypeIds.LIST);
  }

  ProxyHandle handle() {
    return handle;
  }

  private Object call(ListMethod method, Object... args) {
    return handle.call(method, args);
  }

  // For the methods that take any object: an unsendable one is an incompatible type.
  private Object query(ListMethod method, Object... args) {
    return handle.query(method, args);
  }

  @SuppressWarnings("unchecked")
  private E element(Object value) {
    return (E) value;
  }

  @Override
  public String typeId() {
    return TypeIds.LIST;
  }

  @Override
  public long objectId() {
    return handle.objectId;
  }

  @Override
  public String managerTarget() {
    return handle.target();
  }

  @Override
  public int size() {
    return (Integer) call(ListMethod.SIZE);
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public E get(int index) {
    return element(call(ListMethod.GET, index));
  }

  @Override
  public E set(int index, E element) {
    return element(call(ListMethod.SET, index, element));
  }

  @Override
  public boolean add(E element) {
    call(ListMethod.ADD, element);
    modCount++;
    return true;
  }

  @Override
  public void add(int index, E element) {
    call(ListMethod.INSERT, index, element);
    modCount++;
  }

  @Override
  public E remove(int index) {
    E removed = element(call(ListMethod.REMOVE_AT, index));
    modCount++;
    return removed;
  }

  @Override
  public boolean remove(Object o) {
    boolean removed = (Boolean) query(ListMethod.REMOVE, o);
    modCount++;
    return removed;
  }

  @Override
  public int indexOf(Object o) {
    return (Integer) query(ListMethod.INDEX_OF, o);
  }

  @Override
  public int lastIndexOf(Object o) {
    return (Integer) query(ListMethod.LAST_INDEX_OF, o);
  }

  @Override
  public boolean contains(Object o) {
    return (Boolean) query(ListMethod.CONTAINS, o);
  }

  @Override
  public boolean containsAll(Collection<?> c) {
    return (Boolean) query(ListMethod.CONTAINS_ALL, copyOf(c));
  }

  @Override
  public boolean addAll(Collection<? extends E> c) {
    boolean changed = (Boolean) call(ListMethod.ADD_ALL, copyOf(c));
    modCount++;
    return changed;
  }

  @Override
  public boolean addAll(int index, Collection<? extends E> c) {
    boolean changed = (Boolean) call(ListMethod.ADD_ALL_AT, index, copyOf(c));
    modCount++;
    return changed;
  }

  @Override
  public boolean removeAll(Collection<?> c) {
    boolean changed = (Boolean) query(ListMethod.REMOVE_ALL, copyOf(c));
    modCount++;
    return changed;
  }

  @Override
  public boolean retainAll(Collection<?> c) {
    boolean changed = (Boolean) query(ListMethod.RETAIN_ALL, copyOf(c));
    modCount++;
    return changed;
  }

  @Override
  public void clear() {
    call(ListMethod.CLEAR);
    modCount++;
  }

  @Override
  protected void removeRange(int fromIndex, int toIndex) {
    call(ListMethod.REMOVE_RANGE, fromIndex, toIndex);
    modCount++;
  }

  @Override
  public List<E> copy() {
    @SuppressWarnings("unchecked")
    List<E> copy = (List<E>) call(ListMethod.COPY);
    return copy;
  }

  @Override
  public AsyncSharedList<E> async() {
    return new Async();
  }

  /** Inner (not static): holding the view keeps the proxy, and so its reference, alive. */
  private final class Async implements AsyncSharedList<E> {
    @Override
    public CompletableFuture<Boolean> add(E element) {
      return handle.callAsync(ListMethod.ADD, element).thenApply(ignored -> true);
    }

    @Override
    public CompletableFuture<Void> add(int index, E element) {
      return handle.callAsync(ListMethod.INSERT, index, element).thenApply(ignored -> null);
    }

    @Override
    public CompletableFuture<Boolean> addAll(Collection<? extends E> elements) {
      return handle.callAsync(ListMethod.ADD_ALL, copyOf(elements)).thenApply(Boolean.class::cast);
    }

    @Override
    public CompletableFuture<E> get(int index) {
      return handle.callAsync(ListMethod.GET, index).thenApply(ListProxy.this::element);
    }

    @Override
    public CompletableFuture<E> set(int index, E element) {
      return handle.callAsync(ListMethod.SET, index, element).thenApply(ListProxy.this::element);
    }

    @Override
    public CompletableFuture<E> remove(int index) {
      return handle.callAsync(ListMethod.REMOVE_AT, index).thenApply(ListProxy.this::element);
    }

    @Override
    public CompletableFuture<Integer> size() {
      return handle.callAsync(ListMethod.SIZE).thenApply(Integer.class::cast);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<List<E>> copy() {
      return handle.callAsync(ListMethod.COPY).thenApply(copy -> (List<E>) copy);
    }
  }

  @Override
  public Object[] toArray() {
    return copy().toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return copy().toArray(a);
  }

  /** Natural order (a null comparator) sorts on the manager in one round trip. */
  @Override
  public void sort(Comparator<? super E> c) {
    if (c == null) {
      call(ListMethod.SORT);
    } else {
      List<E> local = copy();
      local.sort(c);
      call(ListMethod.REPLACE_CONTENTS, local);
    }
    modCount++;
  }

  @Override
  public void replaceAll(UnaryOperator<E> operator) {
    Objects.requireNonNull(operator, "operator");
    List<E> local = copy();
    local.replaceAll(operator);
    call(ListMethod.REPLACE_CONTENTS, local);
  }

  @Override
  public Iterator<E> iterator() {
    return new ChunkedIterator();
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof List)) {
      return false;
    }
    List<?> other = o instanceof SharedList ? ((SharedList<?>) o).copy() : (List<?>) o;
    return copy().equals(other);
  }

  @Override
  public int hashCode() {
    return copy().hashCode();
  }

  /** One round trip: {@code [1, 2, 3]}, the elements as this client decodes them. */
  @Override
  public String toString() {
    return CollectionText.ofElements(handle, this::copy);
  }

  private static List<Object> copyOf(Collection<?> c) {
    Objects.requireNonNull(c, "collection");
    if (c instanceof SharedList) {
      return new ArrayList<>(((SharedList<?>) c).copy());
    }
    return new ArrayList<>(Arrays.asList(c.toArray()));
  }

  Object writeReplace() {
    return handle.reference(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("proxies are serialized as ProxyReference");
  }

  /** Fetches chunks by index; {@code remove()} removes on the manager by index. */
  private final class ChunkedIterator implements Iterator<E> {
    private List<E> chunk = List.of();
    private int chunkStart;
    private int next;
    private int lastReturned = -1;
    // A chunk shorter than ITERATION_CHUNK reached the end of the list when it was fetched.
    private boolean endReached;

    @Override
    public boolean hasNext() {
      if (next - chunkStart < chunk.size()) {
        return true;
      }
      if (endReached) {
        return false;
      }
      @SuppressWarnings("unchecked")
      List<E> fetched = (List<E>) call(ListMethod.RANGE, next, next + ITERATION_CHUNK);
      chunk = fetched;
      chunkStart = next;
      endReached = fetched.size() < ITERATION_CHUNK;
      return !fetched.isEmpty();
    }

    @Override
    public E next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      lastReturned = next;
      return chunk.get(next++ - chunkStart);
    }

    @Override
    public void remove() {
      if (lastReturned < 0) {
        throw new IllegalStateException("next() has not been called since the last remove()");
      }
      ListProxy.this.remove(lastReturned);
      // Shift the local window: the manager's list moved left by one after lastReturned.
      List<E> rest = new ArrayList<>(chunk.subList(next - chunkStart, chunk.size()));
      chunk = rest;
      next = lastReturned;
      chunkStart = next;
      lastReturned = -1;
    }
  }
}
