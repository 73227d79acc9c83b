package org.multiprocessing4j;

/**
 * Encodes a user type so it can be stored in shared objects. The manager stores the bytes without
 * looking inside (it never loads user classes); every client that reads such values needs the same
 * codec registered under the same {@link #name()}.
 *
 * <p>Implementations must be thread-safe.
 */
public interface ValueCodec<T> {

  /** A stable name stored with each value, e.g. {@code "com.acme.Point/v1"}. Not {@code "java"}. */
  String name();

  /** The type this codec encodes (and its subtypes). */
  Class<T> type();

  byte[] encode(T value);

  T decode(byte[] bytes);
}
