package org.multiprocessing4j.internal.proxy;

import static java.util.Objects.requireNonNull;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.multiprocessing4j.AsyncSharedMap;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.internal.wire.methods.DictMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/**
 * Proxy of a manager-held map. The key and value views come from {@link AbstractMap} on top of a
 * live entry set whose iterator walks a one-round-trip snapshot.
 */
final class MapProxy<K, V> extends AbstractMap<K, V> implements SharedMap<K, V>, Serializable {
  private static final long serialVersionUID = 1L;

  private final transient ProxyHandle handle;

  MapProxy(Invoker invoker, long objectId) {
    this.handle = ProxyHandle.attach(this, invoker, objectId, TypeIds.DICT);
  }

  ProxyHandle handle() {
    return handle;
  }

  private Object call(DictMethod method, Object... args) {
    return handle.call(method, args);
  }

  @SuppressWarnings("unchecked")
  private V value(Object value) {
    return (V) value;
  }

  @Override
  public String typeId() {
    return TypeIds.DICT;
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
    return (Integer) call(DictMethod.SIZE);
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public V get(Object key) {
    requireNonNull(key, "key");
    try {
      return value(call(DictMethod.GET, key));
    } catch (ManagerException e) {
      throw incompatibleKey(e, key);
    }
  }

  @Override
  public V getOrDefault(Object key, V defaultValue) {
    V found = get(key);
    return found == null ? defaultValue : found;
  }

  @Override
  public boolean containsKey(Object key) {
    return (Boolean) handle.query(DictMethod.CONTAINS_KEY, requireNonNull(key, "key"));
  }

  @Override
  public boolean containsValue(Object value) {
    return (Boolean) handle.query(DictMethod.CONTAINS_VALUE, requireNonNull(value, "value"));
  }

  @Override
  public V put(K key, V value) {
    return value(call(DictMethod.PUT, requireNonNull(key, "key"), requireNonNull(value, "value")));
  }

  @Override
  public V remove(Object key) {
    requireNonNull(key, "key");
    try {
      return value(call(DictMethod.REMOVE, key));
    } catch (ManagerException e) {
      throw incompatibleKey(e, key);
    }
  }

  /**
   * {@code get} and {@code remove} answer with a value, so their {@code UNSUPPORTED_VALUE} is
   * either the key (not sent: an incompatible type, {@link ClassCastException}) or a value this
   * client cannot decode (the call did happen). Only on that failure path, a {@code containsKey}
   * with the same key tells which.
   */
  private RuntimeException incompatibleKey(ManagerException e, Object key) {
    if (e.code() != ManagerException.Code.UNSUPPORTED_VALUE) {
      return e;
    }
    try {
      handle.query(DictMethod.CONTAINS_KEY, key);
    } catch (ClassCastException unsendableKey) {
      return unsendableKey;
    }
    return e;
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> m) {
    Map<Object, Object> copy = new LinkedHashMap<>();
    m.forEach((k, v) -> copy.put(requireNonNull(k, "key"), requireNonNull(v, "value")));
    call(DictMethod.PUT_ALL, copy);
  }

  @Override
  public void clear() {
    call(DictMethod.CLEAR);
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return value(
        call(DictMethod.PUT_IF_ABSENT, requireNonNull(key, "key"), requireNonNull(value, "value")));
  }

  @Override
  public boolean remove(Object key, Object value) {
    if (key == null || value == null) {
      return false;
    }
    return (Boolean) handle.query(DictMethod.REMOVE_IF_EQUALS, key, value);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return (Boolean)
        call(
            DictMethod.REPLACE_IF_EQUALS,
            requireNonNull(key, "key"),
            requireNonNull(oldValue, "oldValue"),
            requireNonNull(newValue, "newValue"));
  }

  @Override
  public V replace(K key, V value) {
    return value(
        call(DictMethod.REPLACE, requireNonNull(key, "key"), requireNonNull(value, "value")));
  }

  @Override
  public void forEach(BiConsumer<? super K, ? super V> action) {
    requireNonNull(action, "action");
    copy().forEach(action);
  }

  @Override
  public AsyncSharedMap<K, V> async() {
    return new Async();
  }

  /** Inner (not static): holding the view keeps the proxy, and so its reference, alive. */
  private final class Async implements AsyncSharedMap<K, V> {
    @Override
    public CompletableFuture<V> put(K key, V value) {
      return handle
          .callAsync(DictMethod.PUT, requireNonNull(key, "key"), requireNonNull(value, "value"))
          .thenApply(MapProxy.this::value);
    }

    @Override
    public CompletableFuture<V> get(K key) {
      return handle
          .callAsync(DictMethod.GET, requireNonNull(key, "key"))
          .thenApply(MapProxy.this::value);
    }

    @Override
    public CompletableFuture<V> remove(K key) {
      return handle
          .callAsync(DictMethod.REMOVE, requireNonNull(key, "key"))
          .thenApply(MapProxy.this::value);
    }

    @Override
    public CompletableFuture<V> putIfAbsent(K key, V value) {
      return handle
          .callAsync(
              DictMethod.PUT_IF_ABSENT, requireNonNull(key, "key"), requireNonNull(value, "value"))
          .thenApply(MapProxy.this::value);
    }

    @Override
    public CompletableFuture<Boolean> containsKey(K key) {
      return handle
          .callAsync(DictMethod.CONTAINS_KEY, requireNonNull(key, "key"))
          .thenApply(Boolean.class::cast);
    }

    @Override
    public CompletableFuture<Integer> size() {
      return handle.callAsync(DictMethod.SIZE).thenApply(Integer.class::cast);
    }

    @Override
    public CompletableFuture<Void> putAll(Map<? extends K, ? extends V> entries) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      entries.forEach((k, v) -> copy.put(requireNonNull(k, "key"), requireNonNull(v, "value")));
      return handle.callAsync(DictMethod.PUT_ALL, copy).thenApply(ignored -> null);
    }
  }

  @Override
  public Map<K, V> copy() {
    @SuppressWarnings("unchecked")
    Map<K, V> copy = (Map<K, V>) call(DictMethod.COPY);
    return copy;
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return new EntrySet();
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof Map)) {
      return false;
    }
    Map<?, ?> other = o instanceof SharedMap ? ((SharedMap<?, ?>) o).copy() : (Map<?, ?>) o;
    return copy().equals(other);
  }

  @Override
  public int hashCode() {
    return copy().hashCode();
  }

  /** One round trip: {@code {a=1, b=2}}, the entries as this client decodes them. */
  @Override
  public String toString() {
    return CollectionText.ofMap(handle, this::copy);
  }

  Object writeReplace() {
    return handle.reference(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("proxies are serialized as ProxyReference");
  }

  private final class EntrySet extends AbstractSet<Entry<K, V>> {
    @Override
    public int size() {
      return MapProxy.this.size();
    }

    @Override
    public boolean isEmpty() {
      return MapProxy.this.isEmpty();
    }

    @Override
    public void clear() {
      MapProxy.this.clear();
    }

    @Override
    public boolean contains(Object o) {
      if (!(o instanceof Entry)) {
        return false;
      }
      Entry<?, ?> e = (Entry<?, ?>) o;
      if (e.getKey() == null || e.getValue() == null) {
        return false;
      }
      Object found = MapProxy.this.get(e.getKey());
      return e.getValue().equals(found);
    }

    @Override
    public boolean remove(Object o) {
      if (!(o instanceof Entry)) {
        return false;
      }
      Entry<?, ?> e = (Entry<?, ?>) o;
      return MapProxy.this.remove(e.getKey(), e.getValue());
    }

    @Override
    public Iterator<Entry<K, V>> iterator() {
      Iterator<Entry<K, V>> snapshot = copy().entrySet().iterator();
      return new Iterator<>() {
        private Entry<K, V> last;

        @Override
        public boolean hasNext() {
          return snapshot.hasNext();
        }

        @Override
        public Entry<K, V> next() {
          Entry<K, V> e = snapshot.next();
          last = e;
          return new LiveEntry(e.getKey(), e.getValue());
        }

        @Override
        public void remove() {
          if (last == null) {
            throw new IllegalStateException("next() has not been called since the last remove()");
          }
          MapProxy.this.remove(last.getKey());
          last = null;
        }
      };
    }
  }

  /** An entry whose {@code setValue} writes through to the manager. */
  private final class LiveEntry extends SimpleEntry<K, V> {
    private static final long serialVersionUID = 1L;

    LiveEntry(K key, V value) {
      super(key, value);
    }

    @Override
    public V setValue(V value) {
      MapProxy.this.put(getKey(), requireNonNull(value, "value"));
      return super.setValue(value);
    }
  }
}
