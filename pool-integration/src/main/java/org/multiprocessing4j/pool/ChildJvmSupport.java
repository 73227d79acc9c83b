package org.multiprocessing4j.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;
import org.multiprocessing4j.Internal;

/**
 * Internal, not API: what {@code org.multiprocessing4j.process.JvmProcess} shares with the pool's
 * workers (task serialization, exceptions that travel with their stack trace, line-by-line output,
 * start-up options), so that both kinds of child JVM behave the same. It may change without notice.
 *
 * <p>Thread-safe: stateless.
 */
@Internal
public final class ChildJvmSupport {
  private ChildJvmSupport() {}

  /** A value serialized for a child, and whether it references shared objects (proxies). */
  // a carrier handed straight to a stream, never compared or used as a key
  @SuppressWarnings("ArrayRecordComponent")
  public record Serialized(byte[] bytes, boolean referencesSharedObjects) {}

  /** Java-serializes {@code value} as tasks are sent to workers. */
  public static Serialized serialize(Object value) throws IOException {
    Wire.ReferenceDetectingSerializer serializer = new Wire.ReferenceDetectingSerializer();
    byte[] bytes = serializer.serialize(value);
    return new Serialized(bytes, serializer.sawReference);
  }

  /** Deserializes what {@link #serialize} wrote, resolving classes with {@code loader}. */
  public static Object deserialize(byte[] bytes, ClassLoader loader)
      throws IOException, ClassNotFoundException {
    return Wire.deserialize(bytes, loader);
  }

  /**
   * {@code failure} in the form a worker sends it: the exception itself, or a description to rebuild
   * it from when it cannot be serialized.
   */
  public static byte[] encodeFailure(Throwable failure) throws IOException {
    return Wire.serialize(RemoteFailure.of(failure));
  }

  /** The exception {@link #encodeFailure} encoded: same type, message and stack trace. */
  public static Throwable decodeFailure(byte[] encoded, ClassLoader loader)
      throws IOException, ClassNotFoundException {
    return ((RemoteFailure) Wire.deserialize(encoded, loader)).toThrowable(loader);
  }

  /**
   * Copies a child's output stream to {@code target}, whole lines at a time, on a daemon thread
   * named {@code threadName}; the thread ends at the end of {@code in}.
   */
  public static Thread copyLines(InputStream in, Supplier<PrintStream> target, String threadName) {
    return OutputPump.start(in, target, threadName);
  }

  /** Options that make a child JVM start sooner without changing what it does (before the caller's). */
  public static List<String> startupOptions(List<String> callerOptions) {
    return PoolImpl.workerStartupOptions(callerOptions);
  }
}
