package org.multiprocessing4j;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.multiprocessing4j.spi.ManagerClientProvider;
import org.multiprocessing4j.spi.ManagerSettings;

/**
 * A connection to a manager: the process that holds shared objects. Create objects with the factory
 * methods; each returns a proxy implementing the familiar interface, whose every method is a round
 * trip to the manager.
 *
 * <pre>{@code
 * try (Manager m = Manager.start()) {          // a manager in a child JVM, dies with this one
 *   SharedList<Integer> list = m.list();
 *   SharedValue<Integer> balance = m.value(1000);
 *   try (var held = balance.getLock().hold()) {
 *     balance.set(balance.get() + 100);
 *   }
 * }
 * Manager remote = Manager.connect("localhost:50051", authkey);   // attach to a running manager
 * Manager worker = Manager.connectFromEnvironment();              // MP4J_MANAGER + MP4J_AUTHKEY
 * Manager overTls = Manager.builder().authkey(authkey).tls(caPem).connect("mp4j.example:50051");
 * }</pre>
 *
 * <p>Over a network, connect with TLS ({@link Builder#tls}, and {@link
 * Builder#tlsClientCertificate} when the manager requires client certificates); the authkey
 * handshake still runs inside it. Workers get the same through the environment: {@value
 * #ENV_TLS_CA} (and {@value #ENV_TLS_CERT}, {@value #ENV_TLS_KEY} for mutual TLS), which {@link
 * #childEnvironment()} sets.
 *
 * <p>Lifetime: objects live while some client holds a proxy to them; when a client closes, exits or
 * dies, its references and the locks it held are released. {@link #close()} ends this client's
 * session and, if this handle started the manager, shuts the manager down.
 *
 * <p>Thread-safe: any number of threads may share one {@code Manager} and its proxies.
 */
public interface Manager extends AutoCloseable {

  /**
   * Environment variable with the manager's address ({@code host:port} or {@code unix:///path}).
   */
  String ENV_MANAGER = "MP4J_MANAGER";

  /** Environment variable with the authkey text (its UTF-8 bytes are the key). */
  String ENV_AUTHKEY = "MP4J_AUTHKEY";

  /** Environment variable naming a file whose content (trailing newline removed) is the authkey. */
  String ENV_AUTHKEY_FILE = "MP4J_AUTHKEY_FILE";

  /**
   * Environment variable naming a PEM file of the certificates (or CAs) trusted for the manager:
   * when set, {@link #connectFromEnvironment()} connects over TLS ({@link Builder#tls}).
   */
  String ENV_TLS_CA = "MP4J_TLS_CA";

  /** With {@value #ENV_TLS_KEY}: the client certificate chain (PEM) for mutual TLS. */
  String ENV_TLS_CERT = "MP4J_TLS_CERT";

  /** With {@value #ENV_TLS_CERT}: the client's private key (PEM, PKCS#8) for mutual TLS. */
  String ENV_TLS_KEY = "MP4J_TLS_KEY";

  /**
   * Starts a manager in a child JVM with a random authkey, as Python's {@code Manager()} does. The
   * child dies with this JVM. Needs {@code multiprocessing4j-server} on the class path.
   */
  static Manager start() {
    return builder().start();
  }

  /** Options for starting or connecting. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Connects to a running manager at {@code target} ({@code host:port} or {@code unix:///path}).
   */
  static Manager connect(String target, byte[] authkey) {
    return builder().authkey(authkey).connect(target);
  }

  /** {@link #connect(String, byte[])} with the UTF-8 bytes of {@code authkey}. */
  static Manager connect(String target, String authkey) {
    return connect(target, authkey.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Connects using {@value #ENV_MANAGER} and {@value #ENV_AUTHKEY} (or {@value #ENV_AUTHKEY_FILE}),
   * over TLS if {@value #ENV_TLS_CA} (or {@value #ENV_TLS_CERT}) is set, as set for worker
   * processes by {@link #childEnvironment()}.
   */
  static Manager connectFromEnvironment() {
    return builder().connectFromEnvironment();
  }

  /** A new empty shared list. One round trip. */
  <E> SharedList<E> list();

  /** A new shared list holding copies of {@code initial}. One round trip. */
  <E> SharedList<E> list(Collection<? extends E> initial);

  /** A new empty shared map (Python's {@code dict}). One round trip. */
  <K, V> SharedMap<K, V> dict();

  /** A new shared map holding copies of {@code initial}. One round trip. */
  <K, V> SharedMap<K, V> dict(Map<? extends K, ? extends V> initial);

  /** A new shared value (Python's {@code Value}). One round trip. */
  <T> SharedValue<T> value(T initial);

  /** A new shared {@code int} array (Python's {@code Array('i', ...)}). */
  SharedArray<Integer> array(int[] initial);

  /** A new shared {@code long} array ({@code Array('l', ...)}). */
  SharedArray<Long> array(long[] initial);

  /** A new shared {@code double} array ({@code Array('d', ...)}). */
  SharedArray<Double> array(double[] initial);

  /** A new shared namespace. One round trip. */
  SharedNamespace namespace();

  /** A new shared lock (not reentrant). One round trip. */
  SharedLock lock();

  // --- queues, synchronisation primitives, pipes. Blocked waiters cost the manager no thread; a
  // timed or interrupted wait is withdrawn on the manager. One round trip each unless noted.

  /** A new unbounded FIFO queue (Python's {@code Queue()}). */
  <E> SharedQueue<E> queue();

  /**
   * A new FIFO queue holding at most {@code maxsize} elements (Python's {@code Queue(maxsize)}).
   *
   * @throws IllegalArgumentException if {@code maxsize} is negative; 0 means unbounded, as in
   *     Python
   */
  <E> SharedQueue<E> queue(int maxsize);

  /** A new unbounded queue with {@code taskDone()} and {@code join()} (Python's JoinableQueue). */
  <E> SharedJoinableQueue<E> joinableQueue();

  /** A new joinable queue holding at most {@code maxsize} elements (0: unbounded). */
  <E> SharedJoinableQueue<E> joinableQueue(int maxsize);

  /**
   * A new reentrant lock (Python's {@code RLock()}): owned by the client thread that acquired it,
   * in its process; only that thread may release it ({@link IllegalMonitorStateException}
   * otherwise). Released, whatever its hold count, when the owning client's session ends.
   */
  SharedLock rlock();

  /**
   * A new semaphore with {@code permits} permits (Python's {@code Semaphore(n)}).
   *
   * @throws IllegalArgumentException if {@code permits} is negative
   */
  SharedSemaphore semaphore(int permits);

  /**
   * A new semaphore that cannot be released past {@code permits} (Python's {@code
   * BoundedSemaphore(n)}); an extra release throws {@link IllegalStateException}.
   */
  SharedSemaphore boundedSemaphore(int permits);

  /** A new condition over a new rlock (Python's {@code Condition()}). */
  SharedCondition condition();

  /**
   * A new condition bound to {@code lock}, a {@link #lock()} or {@link #rlock()} of this manager
   * (Python's {@code Condition(lock)}).
   */
  SharedCondition condition(SharedLock lock);

  /** A new event, initially clear (Python's {@code Event()}). */
  SharedEvent event();

  /**
   * A new barrier for {@code parties} parties (Python's {@code Barrier(parties)}).
   *
   * @throws IllegalArgumentException if {@code parties < 1}
   */
  SharedBarrier barrier(int parties);

  /**
   * A new barrier whose {@link SharedBarrier#await()} breaks after {@code timeout} (Python's {@code
   * Barrier(parties, timeout=t)}).
   */
  SharedBarrier barrier(int parties, java.time.Duration timeout);

  /** A new duplex pipe (Python's {@code Pipe()}): two ends that both send and receive. */
  SharedPipe pipe();

  /**
   * A new pipe; {@code duplex == false} gives Python's {@code Pipe(duplex=False)}: the first end
   * only receives, the second only sends. Two round trips (the manager makes the first end, then
   * hands out the second).
   */
  SharedPipe pipe(boolean duplex);

  /**
   * Creates an object of a type registered on the manager ({@code ManagerServer.Builder.register});
   * the proxy implements {@code exposed}, whose methods become round trips by name.
   */
  <T> T create(String typeId, Class<T> exposed, Object... args);

  /** Round trips and bytes this client spent, and what the manager holds. One round trip. */
  ManagerStats stats();

  /** The manager's address, as {@link #connect} takes it. */
  String target();

  /**
   * The environment a worker process needs to {@link #connectFromEnvironment()} to this manager:
   * {@value #ENV_MANAGER} and {@value #ENV_AUTHKEY}, and the TLS files' paths ({@value
   * #ENV_TLS_CA}, ...) if this connection uses TLS. Pass it to child processes only.
   */
  Map<String, String> childEnvironment();

  /**
   * Shuts the manager down (every client's objects are gone) and closes this handle. Calls
   * afterwards fail with {@link ManagerException.Code#MANAGER_SHUT_DOWN}. Waits at most 5 s for the
   * manager to confirm: a manager this handle started is stopped either way; one it only connected
   * to that does not confirm in time (busy or frozen) leaves this handle closed and throws {@link
   * ManagerUnavailableException}.
   */
  void shutdown();

  /**
   * Closes this handle: its session ends and its references are released. If this handle started
   * the manager ({@link #start()}), the manager is shut down too. Idempotent.
   */
  @Override
  void close();

  /** Options for {@link Manager#start()} and {@link Manager#connect}. Not thread-safe. */
  final class Builder {
    private ManagerSettings.Hosting hosting = ManagerSettings.Hosting.CHILD_PROCESS;
    private byte[] authkey;
    private String bindTarget;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<ValueCodec<?>> codecs = new ArrayList<>();
    private final List<String> serializablePatterns = new ArrayList<>();
    private String clientName;
    private int maxMessageBytes = ManagerSettings.DEFAULT_MAX_MESSAGE_BYTES;
    private Path tlsTrustedServerCerts;
    private Path tlsCertChain;
    private Path tlsPrivateKey;
    private boolean tls;

    Builder() {}

    /** Host the started manager in a child JVM (the default). */
    public Builder hostInChildProcess() {
      this.hosting = ManagerSettings.Hosting.CHILD_PROCESS;
      return this;
    }

    /**
     * Host the started manager inside this JVM (needs {@code multiprocessing4j-server} on the class
     * path).
     */
    public Builder hostInProcess() {
      this.hosting = ManagerSettings.Hosting.IN_PROCESS;
      return this;
    }

    /** The authkey. For {@link #start()} a random one is generated when none is set. */
    public Builder authkey(byte[] key) {
      this.authkey = requireNonNull(key, "authkey").clone();
      return this;
    }

    /** The authkey as text (its UTF-8 bytes). */
    public Builder authkey(String key) {
      return authkey(requireNonNull(key, "authkey").getBytes(StandardCharsets.UTF_8));
    }

    /** Where a started manager listens: TCP on loopback, port 0 (the default) or a fixed port. */
    public Builder tcp(String host, int port) {
      this.bindTarget = requireNonNull(host, "host") + ":" + port;
      return this;
    }

    /** A started manager listens on a Unix domain socket at {@code path}. */
    public Builder unixSocket(Path path) {
      this.bindTarget = "unix://" + path.toAbsolutePath();
      return this;
    }

    /** A started, in-process manager uses gRPC's in-memory transport (unit tests). */
    public Builder inMemory(String name) {
      this.bindTarget = "inprocess:" + requireNonNull(name, "name");
      this.hosting = ManagerSettings.Hosting.IN_PROCESS;
      return this;
    }

    /** Extra JVM options for a manager started in a child process (e.g. {@code -Xmx512m}). */
    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(Arrays.asList(options));
      return this;
    }

    /** Lets values of a user type travel through this codec. */
    public Builder codec(ValueCodec<?> codec) {
      codecs.add(requireNonNull(codec, "codec"));
      return this;
    }

    /**
     * Lets classes matching these {@link java.io.ObjectInputFilter} patterns (e.g. {@code
     * com.acme.Point}, {@code com.acme.model.*}) travel by Java serialization. Nothing else is ever
     * deserialized.
     */
    public Builder allowJavaSerialization(String... patterns) {
      serializablePatterns.addAll(Arrays.asList(patterns));
      return this;
    }

    /** The name this client shows in the manager's logs. */
    public Builder clientName(String name) {
      this.clientName = requireNonNull(name, "name");
      return this;
    }

    /**
     * Largest message this client sends or accepts (default 64 MiB). The manager is told at the
     * handshake and tells its own; requests over the smaller are refused before they are sent,
     * replies over it by the manager, both with {@code MESSAGE_TOO_LARGE}.
     */
    public Builder maxMessageBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * Connect over TLS, trusting the manager's certificate if it is, or is signed by, one of the
     * certificates in this PEM file. The certificate must name the host in the target
     * (subjectAltName). TCP targets only. The authkey is still required and checked inside TLS.
     */
    public Builder tls(Path trustedServerCertsPem) {
      this.tlsTrustedServerCerts =
          readable(
              requireNonNull(trustedServerCertsPem, "trustedServerCertsPem"),
              "trusted server certificates");
      this.tls = true;
      return this;
    }

    /**
     * Mutual TLS: present this certificate chain and private key (PEM; the key unencrypted PKCS#8)
     * to a manager that requires client certificates. Implies TLS; without {@link #tls(Path)} the
     * manager's certificate is checked against the JDK's default trust store.
     */
    public Builder tlsClientCertificate(Path certChainPem, Path privateKeyPem) {
      this.tlsCertChain =
          readable(requireNonNull(certChainPem, "certChainPem"), "client certificate");
      this.tlsPrivateKey =
          readable(requireNonNull(privateKeyPem, "privateKeyPem"), "client private key");
      this.tls = true;
      return this;
    }

    private static Path readable(Path path, String what) {
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException("cannot read the " + what + " " + path.toAbsolutePath());
      }
      return path.toAbsolutePath();
    }

    /** Starts a new manager and connects to it. */
    public Manager start() {
      if (tls) {
        throw new IllegalStateException(
            "tls(...) is for connect(): a manager started by start() serves this host without TLS;"
                + " run ManagerServer with tls(...) (or manager-server.jar --tls-cert ...) and"
                + " connect to it");
      }
      return Client.provider().start(settings());
    }

    /** Connects to the running manager at {@code target}; needs {@link #authkey}. */
    public Manager connect(String target) {
      if (authkey == null) {
        throw new IllegalStateException("connect needs an authkey");
      }
      return Client.provider().connect(requireNonNull(target, "target"), settings());
    }

    /**
     * Connects using the environment variables ({@link Manager#ENV_MANAGER}, the authkey, and
     * {@link Manager#ENV_TLS_CA} etc. unless TLS is set on this builder).
     */
    public Manager connectFromEnvironment() {
      return Client.provider().connectFromEnvironment(settings());
    }

    private ManagerSettings settings() {
      return new ManagerSettings(
          hosting,
          authkey,
          bindTarget,
          jvmOptions,
          codecs,
          serializablePatterns,
          clientName,
          maxMessageBytes,
          tls ? new ManagerSettings.Tls(tlsTrustedServerCerts, tlsCertChain, tlsPrivateKey) : null);
    }

    // The client implementation, looked up once, on first use (as hostInProcess() finds the
    // server).
    private static final class Client {
      private static final Optional<ManagerClientProvider> FOUND =
          ServiceLoader.load(ManagerClientProvider.class, Manager.class.getClassLoader())
              .findFirst()
              .or(() -> ServiceLoader.load(ManagerClientProvider.class).findFirst());

      static ManagerClientProvider provider() {
        return FOUND.orElseThrow(
            () ->
                new IllegalStateException(
                    "no manager client on the class path: add the multiprocessing4j-client jar"));
      }
    }
  }
}
