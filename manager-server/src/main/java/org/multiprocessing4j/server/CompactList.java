package org.multiprocessing4j.server;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * The storage of a shared list: an {@code int[]} while every element is an {@code Integer} (the
 * common case, and 4 bytes an element instead of about 20 for boxed integers in an array list),
 * switching for good to an {@code Object[]} the first time anything else is stored. Elements read
 * back are equal to those stored. Not thread-safe: used under the manager's lock.
 */
final class CompactList extends AbstractList<Object> implements RandomAccess {
  private static final int[] NO_INTS = new int[0];

  // Exactly one of the two arrays is in use: ints until the first non-Integer, then objects.
  private int[] ints = NO_INTS;
  private Object[] objects;
  private int size;

  CompactList(Collection<?> initial) {
    if (!initial.isEmpty()) {
      ensureCapacity(initial.size());
      for (Object element : initial) {
        add(element);
      }
    }
  }

  /** True while the elements are stored as an {@code int[]} (for the codec's fast path). */
  boolean holdsInts() {
    return objects == null;
  }

  /** The stored ints; valid up to {@link #size()} and only while {@link #holdsInts()}. */
  int[] intArray() {
    return ints;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Object get(int index) {
    checkIndex(index, size);
    return objects == null ? Integer.valueOf(ints[index]) : objects[index];
  }

  @Override
  public Object set(int index, Object element) {
    checkIndex(index, size);
    if (objects == null && !(element instanceof Integer)) {
      switchToObjects();
    }
    Object previous = get(index);
    if (objects == null) {
      ints[index] = (Integer) element;
    } else {
      objects[index] = element;
    }
    return previous;
  }

  @Override
  public void add(int index, Object element) {
    if (index < 0 || index > size) {
      throw new IndexOutOfBoundsException("Index: " + index + ", Size: " + size);
    }
    if (objects == null && !(element instanceof Integer)) {
      switchToObjects();
    }
    ensureCapacity(size + 1);
    if (objects == null) {
      System.arraycopy(ints, index, ints, index + 1, size - index);
      ints[index] = (Integer) element;
    } else {
      System.arraycopy(objects, index, objects, index + 1, size - index);
      objects[index] = element;
    }
    size++;
    modCount++;
  }

  @Override
  public Object remove(int index) {
    checkIndex(index, size);
    Object removed = get(index);
    removeRange(index, index + 1);
    return removed;
  }

  @Override
  protected void removeRange(int fromIndex, int toIndex) {
    int tail = size - toIndex;
    if (objects == null) {
      System.arraycopy(ints, toIndex, ints, fromIndex, tail);
    } else {
      System.arraycopy(objects, toIndex, objects, fromIndex, tail);
      Arrays.fill(objects, fromIndex + tail, size, null);
    }
    size -= toIndex - fromIndex;
    modCount++;
  }

  @Override
  public void clear() {
    ints = NO_INTS;
    objects = null; // an emptied list may hold ints compactly again
    size = 0;
    modCount++;
  }

  private void ensureCapacity(int needed) {
    int capacity = objects == null ? ints.length : objects.length;
    if (needed <= capacity) {
      return;
    }
    int grown = Math.max(needed, capacity + (capacity >> 1) + 8);
    if (objects == null) {
      ints = Arrays.copyOf(ints, grown);
    } else {
      objects = Arrays.copyOf(objects, grown);
    }
  }

  private void switchToObjects() {
    Object[] boxed = new Object[Math.max(ints.length, 8)];
    for (int i = 0; i < size; i++) {
      boxed[i] = ints[i];
    }
    objects = boxed;
    ints = null;
  }

  private static void checkIndex(int index, int size) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size);
    }
  }
}
