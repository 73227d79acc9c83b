package org.multiprocessing4j.pool;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * The inputs or results of one map chunk, as they cross to and from a worker. Java serialization
 * writes a boxed {@code Integer} as an object of its own (class handle, header, value), which made
 * chunked maps of numbers cost microseconds per element; a chunk of all {@code Integer}s, all
 * {@code Long}s or all {@code String}s is written packed instead, and anything else element by
 * element as before. Immutable once built; not shared between threads while being filled.
 */
final class ChunkList extends AbstractList<Object> implements RandomAccess, Serializable {
  private static final long serialVersionUID = 1L;
  private static final byte OBJECTS = 0;
  private static final byte INTS = 1;
  private static final byte LONGS = 2;
  private static final byte STRINGS = 3;

  private transient Object[] elements;

  ChunkList(Collection<?> items) {
    this.elements = items.toArray();
  }

  ChunkList(Object[] elements) {
    this.elements = elements;
  }

  @Override
  public Object get(int index) {
    return elements[index];
  }

  @Override
  public int size() {
    return elements.length;
  }

  private byte shape() {
    if (elements.length == 0 || elements[0] == null) {
      return OBJECTS;
    }
    Class<?> type = elements[0].getClass();
    byte shape =
        type == Integer.class
            ? INTS
            : type == Long.class ? LONGS : type == String.class ? STRINGS : OBJECTS;
    if (shape == OBJECTS) {
      return OBJECTS;
    }
    for (Object element : elements) {
      if (element == null || element.getClass() != type) {
        return OBJECTS;
      }
    }
    return shape;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    byte shape = shape();
    out.writeByte(shape);
    out.writeInt(elements.length);
    for (Object element : elements) {
      switch (shape) {
        case INTS -> out.writeInt((Integer) element);
        case LONGS -> out.writeLong((Long) element);
        case STRINGS -> out.writeUTF((String) element);
        default -> out.writeObject(element);
      }
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    byte shape = in.readByte();
    int size = in.readInt();
    if (size < 0) {
      throw new java.io.InvalidObjectException("negative chunk size " + size);
    }
    Object[] read = new Object[size];
    for (int i = 0; i < size; i++) {
      switch (shape) {
        case INTS -> read[i] = in.readInt();
        case LONGS -> read[i] = in.readLong();
        case STRINGS -> read[i] = in.readUTF();
        case OBJECTS -> read[i] = in.readObject();
        default -> throw new java.io.InvalidObjectException("unknown chunk shape " + shape);
      }
    }
    elements = read;
  }

  /** Copies the elements into {@code target} from {@code offset} on. */
  void copyTo(Object[] target, int offset) {
    System.arraycopy(elements, 0, target, offset, elements.length);
  }
}
