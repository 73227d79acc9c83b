package org.multiprocessing4j.pool;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.spi.SelectorProvider;
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
   * {@code failure} in the form a worker sends it: the exception itself, or a description to
   * rebuild it from when it cannot be serialized.
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

  /**
   * In a child: halts this JVM with {@code status} (standard output and error flushed) once the
   * parent's end of {@code stdin} closes, which means the parent is gone. The parent writes nothing
   * more to it; only the end of the stream matters. Watches on a daemon thread named {@code
   * threadName}.
   */
  public static void haltWhenParentGone(InputStream stdin, int status, String threadName) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (stdin.read() >= 0) {
                  // nothing to read: waiting for the end
                }
              } catch (IOException e) {
                // closed as well
              }
              System.out.flush();
              System.err.flush();
              Runtime.getRuntime().halt(status);
            },
            threadName);
    watcher.setDaemon(true);
    watcher.start();
  }

  /**
   * Options that make a child JVM start sooner without changing what it does (before the caller's):
   * the JDK's own selector provider, named. A child's first socket otherwise looks for a provider
   * in every jar of the class path (opening each one), several milliseconds with a few dozen jars.
   * Only the JDK's provider is named, and only if the caller names none: the child would have found
   * the same one.
   */
  public static List<String> startupOptions(List<String> callerOptions) {
    String property = "java.nio.channels.spi.SelectorProvider";
    if (callerOptions.stream().anyMatch(o -> o.startsWith("-D" + property + "="))) {
      return List.of();
    }
    Class<?> provider = SelectorProvider.provider().getClass();
    if (provider.getModule() != Object.class.getModule()) {
      return List.of();
    }
    return List.of("-D" + property + "=" + provider.getName());
  }
}
