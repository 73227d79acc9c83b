package org.multiprocessing4j;

import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A bag of named attributes held by a manager (Python's {@code Manager().Namespace()}). Each method
 * is one round trip; values are copies. Unlike Python there are no proxy-local attributes: every
 * name is shared.
 *
 * <p>{@code toString()} gives Python's form, e.g. {@code Namespace(a=1, b='x')}, names sorted, each
 * value as this client decodes it (as a {@link SharedList} renders its elements).
 *
 * <p>Thread-safe.
 */
public interface SharedNamespace extends SharedObject {

  /** The attribute's value; {@link NoSuchElementException} if it is not set. */
  Object get(String name);

  /** The attribute's value cast to {@code type}. */
  <T> T get(String name, Class<T> type);

  void set(String name, Object value);

  /** True if the attribute is set. */
  boolean has(String name);

  /** Removes the attribute; {@link NoSuchElementException} if it is not set. */
  void delete(String name);

  /** A copy of all attributes. */
  Map<String, Object> copy();
}
