package org.multiprocessing4j;

/**
 * The two connected ends made by {@code Manager.pipe()} (Python's {@code conn1, conn2 = Pipe()}).
 * In a duplex pipe (the default) both ends send and receive. In a one-way pipe ({@code
 * Manager.pipe(false)}) the {@link #first()} end only receives and the {@link #second()} end only
 * sends, as in Python.
 *
 * <p>This holder is a local object; each end is a proxy and can be sent to another process on its
 * own. Immutable and thread-safe.
 */
public interface SharedPipe extends AutoCloseable {

  /** Python's {@code conn1}: in a one-way pipe, the receiving end. */
  SharedConnection first();

  /** Python's {@code conn2}: in a one-way pipe, the sending end. */
  SharedConnection second();

  /** Closes both ends. */
  @Override
  void close();
}
