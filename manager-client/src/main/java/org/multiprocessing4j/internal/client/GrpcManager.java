package org.multiprocessing4j.internal.client;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.GenericProxy;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerStats;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.SharedArray;
import org.multiprocessing4j.SharedBarrier;
import org.multiprocessing4j.SharedCondition;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.SharedJoinableQueue;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedNamespace;
import org.multiprocessing4j.SharedPipe;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.SharedSemaphore;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.internal.proxy.Proxies;
import org.multiprocessing4j.internal.wire.Authkeys;
import org.multiprocessing4j.internal.wire.NettyStartup;
import org.multiprocessing4j.spi.ManagerHostProvider;
import org.multiprocessing4j.spi.ManagerSettings;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@link Manager} over one gRPC session. Thread-safe: the session is; the rest is immutable or
 * atomic.
 */
final class GrpcManager implements Manager {
  // Open managers of this process by target: references that arrive by Java serialization reuse
  // them.
  private static final Map<String, GrpcManager> OPEN = new ConcurrentHashMap<>();

  // How long shutdown() waits for the manager to confirm (Python's manager gives its process 1 s
  // to exit, then terminates it; a started manager is stopped after this wait either way).
  private static final long SHUTDOWN_ANSWER_NANOS = TimeUnit.SECONDS.toNanos(5);

  static {
    NettyStartup.apply(); // before anything below touches gRPC's Netty
    Proxies.installResolver(new ManagerProxyResolver());
  }

  private final ClientSession session;
  private final byte[] authkey;
  // How the connection was made, passed on to workers; null for plaintext.
  private final ClientTls tls;
  // What this handle started (a child JVM or an in-process server), or null if it only connected.
  private final AutoCloseable host;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GrpcManager(ClientSession session, byte[] authkey, ClientTls tls, AutoCloseable host) {
    this.session = session;
    this.authkey = authkey;
    this.tls = tls;
    this.host = host;
  }

  static Manager start(ManagerSettings settings) {
    byte[] key =
        settings.authkey() != null
            ? settings.authkey()
            : Authkeys.newRandomText().getBytes(StandardCharsets.UTF_8);
    String bind = settings.bindTarget() != null ? settings.bindTarget() : "localhost:0";
    if (settings.hosting() == ManagerSettings.Hosting.IN_PROCESS) {
      ManagerHostProvider provider =
          ServiceLoader.load(ManagerHostProvider.class)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "hostInProcess() needs the multiprocessing4j-server jar on the class"
                              + " path"));
      ManagerHostProvider.Host started;
      try {
        started = provider.start(bind, key, settings.maxMessageBytes());
      } catch (java.io.IOException e) {
        throw new ManagerUnavailableException("cannot start an in-process manager on " + bind, e);
      }
      return connectOrClose(settings.withAuthkey(key), started.target(), started);
    }
    ChildManagerProcess child =
        ChildManagerProcess.start(bind, authkeyText(key), settings.jvmOptions());
    return connectOrClose(settings.withAuthkey(key), child.target(), child);
  }

  private static Manager connectOrClose(
      ManagerSettings settings, String target, AutoCloseable host) {
    try {
      return connect(settings, target, host);
    } catch (RuntimeException e) {
      try {
        host.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  static GrpcManager connect(ManagerSettings settings, String target, AutoCloseable host) {
    ClientTls tls = ClientTls.of(settings.tls());
    ClientSession session;
    try {
      session =
          ClientSession.open(
              target,
              Channels.transportFor(target, settings.maxMessageBytes(), tls),
              settings.authkey(),
              new ClientCodec.Config(settings.codecs(), settings.serializablePatterns()),
              settings.maxMessageBytes(),
              settings.clientName() != null
                  ? settings.clientName()
                  : ClientSession.defaultClientName());
    } catch (ManagerUnavailableException e) {
      throw tls == null ? ClientTls.hintIfTlsExpected(target, e) : e;
    }
    GrpcManager manager = new GrpcManager(session, settings.authkey(), tls, host);
    OPEN.putIfAbsent(target, manager);
    return manager;
  }

  /**
   * Connects to the manager the environment names: the authkey from it, TLS from it unless {@code
   * settings} has TLS.
   */
  static GrpcManager connectFromEnvironment(ManagerSettings settings) {
    Environment env = Environment.read();
    return connect(withEnvironmentTls(settings.withAuthkey(env.authkey)), env.target, null);
  }

  /** {@code settings} with TLS from the environment if they have none. */
  static ManagerSettings withEnvironmentTls(ManagerSettings settings) {
    if (settings.tls() != null) {
      return settings;
    }
    ClientTls env = ClientTls.fromEnvironment();
    return env == null ? settings : settings.withTls(env.settings());
  }

  /**
   * An open manager of this process that is instance {@code managerInstanceId} (under whatever
   * address it was reached), else one connected to {@code target}, or null. The second may be
   * another manager than the one meant (started since at that address): {@link #attach} lets the
   * manager refuse it.
   */
  static GrpcManager open(String target, long managerInstanceId) {
    if (managerInstanceId != 0) {
      for (GrpcManager manager : OPEN.values()) {
        if (manager.session.isOpen() && manager.session.managerInstanceId() == managerInstanceId) {
          return manager;
        }
      }
    }
    GrpcManager manager = OPEN.get(target);
    return manager != null && manager.session.isOpen() ? manager : null;
  }

  /** For tests in this package. */
  ClientSession session() {
    return session;
  }

  /** Takes a reference to an object of this manager, by id. */
  Object attach(long objectId, String typeId) {
    return attach(objectId, typeId, session.managerInstanceId());
  }

  /**
   * Takes a reference to an object that arrived by serialization; refused with {@code
   * UNKNOWN_OBJECT} if another manager instance made the reference.
   */
  Object attach(long objectId, String typeId, long managerInstanceId) {
    return session.attach(objectId, typeId, managerInstanceId);
  }

  /** The manager's own description of an object (one round trip), whatever its proxy shows. */
  String describe(long objectId) {
    return String.valueOf(session.invoke(objectId, "toString"));
  }

  // each factory method names the Shared* type the type id stands for
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private <T> T create(String typeId, Object... args) {
    return (T) session.create(typeId, args);
  }

  @Override
  public <E> SharedList<E> list() {
    return create(TypeIds.LIST);
  }

  @Override
  public <E> SharedList<E> list(Collection<? extends E> initial) {
    return create(TypeIds.LIST, new ArrayList<>(initial));
  }

  @Override
  public <K, V> SharedMap<K, V> dict() {
    return create(TypeIds.DICT);
  }

  @Override
  public <K, V> SharedMap<K, V> dict(Map<? extends K, ? extends V> initial) {
    return create(TypeIds.DICT, new LinkedHashMap<>(initial));
  }

  @Override
  public <T> SharedValue<T> value(T initial) {
    return create(TypeIds.VALUE, initial);
  }

  @Override
  public SharedArray<Integer> array(int[] initial) {
    return create(TypeIds.ARRAY, (Object) initial.clone());
  }

  @Override
  public SharedArray<Long> array(long[] initial) {
    return create(TypeIds.ARRAY, (Object) initial.clone());
  }

  @Override
  public SharedArray<Double> array(double[] initial) {
    return create(TypeIds.ARRAY, (Object) initial.clone());
  }

  @Override
  public SharedNamespace namespace() {
    return create(TypeIds.NAMESPACE);
  }

  @Override
  public SharedLock lock() {
    return create(TypeIds.LOCK);
  }

  // --- queues, synchronisation primitives, pipes

  private static int checkNotNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
    }
    return value;
  }

  @Override
  public <E> SharedQueue<E> queue() {
    return create(TypeIds.QUEUE);
  }

  @Override
  public <E> SharedQueue<E> queue(int maxsize) {
    return create(TypeIds.QUEUE, checkNotNegative(maxsize, "maxsize"));
  }

  @Override
  public <E> SharedJoinableQueue<E> joinableQueue() {
    return create(TypeIds.JOINABLE_QUEUE);
  }

  @Override
  public <E> SharedJoinableQueue<E> joinableQueue(int maxsize) {
    return create(TypeIds.JOINABLE_QUEUE, checkNotNegative(maxsize, "maxsize"));
  }

  @Override
  public SharedLock rlock() {
    return create(TypeIds.RLOCK);
  }

  @Override
  public SharedSemaphore semaphore(int permits) {
    return create(TypeIds.SEMAPHORE, checkNotNegative(permits, "permits"));
  }

  @Override
  public SharedSemaphore boundedSemaphore(int permits) {
    return create(TypeIds.BOUNDED_SEMAPHORE, checkNotNegative(permits, "permits"));
  }

  @Override
  public SharedCondition condition() {
    return create(TypeIds.CONDITION);
  }

  @Override
  public SharedCondition condition(SharedLock lock) {
    return create(TypeIds.CONDITION, java.util.Objects.requireNonNull(lock, "lock"));
  }

  @Override
  public SharedEvent event() {
    return create(TypeIds.EVENT);
  }

  @Override
  public SharedBarrier barrier(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("a barrier needs at least 1 party, got " + parties);
    }
    return create(TypeIds.BARRIER, parties);
  }

  @Override
  public SharedBarrier barrier(int parties, java.time.Duration timeout) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    if (parties < 1) {
      throw new IllegalArgumentException("a barrier needs at least 1 party, got " + parties);
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException(
          "a barrier's timeout must not be negative, got " + timeout);
    }
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE;
    }
    return create(TypeIds.BARRIER, parties, nanos);
  }

  @Override
  public SharedPipe pipe() {
    return pipe(true);
  }

  @Override
  public SharedPipe pipe(boolean duplex) {
    return Proxies.pipeFromFirstEnd(session.create(TypeIds.PIPE, duplex));
  }

  @Override
  public <T> T create(String typeId, Class<T> exposed, Object... args) {
    // GenericProxy is the by-name proxy every unregistered type gets, not a user interface.
    if (exposed.isInterface() && exposed != GenericProxy.class && !Proxies.isBuiltIn(typeId)) {
      Proxies.registerInterface(typeId, exposed);
    }
    Object proxy = session.create(typeId, args);
    if (!exposed.isInstance(proxy)) {
      throw new ClassCastException(
          "a '"
              + typeId
              + "' proxy is a "
              + proxy.getClass().getInterfaces()[0].getName()
              + ", not a "
              + exposed.getName());
    }
    return exposed.cast(proxy);
  }

  @Override
  public ManagerStats stats() {
    return session.stats();
  }

  @Override
  public String target() {
    return session.target();
  }

  @Override
  public Map<String, String> childEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_MANAGER, target());
    env.put(ENV_AUTHKEY, authkeyText(authkey));
    if (tls != null) {
      env.putAll(tls.environment());
    }
    return Collections.unmodifiableMap(env);
  }

  private static String authkeyText(byte[] key) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(key)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(
          "this authkey is not UTF-8 text, so it cannot be passed through the environment;"
              + " use a text key",
          e);
    }
  }

  @Override
  public void shutdown() {
    if (closed.get()) {
      return;
    }
    boolean answered = true;
    try {
      answered = session.requestShutdown(SHUTDOWN_ANSWER_NANOS);
    } catch (ManagerUnavailableException alreadyGone) {
      // nothing to shut down
    }
    closeLocally("this Manager was shut down");
    if (!answered && host == null) {
      // A started manager is stopped by closeLocally either way; one we only connected to is not.
      throw new ManagerUnavailableException(
          "the manager at "
              + target()
              + " did not answer the shutdown request within "
              + TimeUnit.NANOSECONDS.toSeconds(SHUTDOWN_ANSWER_NANOS)
              + " s (busy or frozen); this handle is closed, the manager may still be running");
    }
  }

  @Override
  public void close() {
    if (host != null) {
      shutdown();
    } else {
      closeLocally("this Manager was closed");
    }
  }

  private void closeLocally(String reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    OPEN.remove(target(), this);
    session.close(new ManagerException(ManagerException.Code.MANAGER_SHUT_DOWN, reason));
    if (host != null) {
      try {
        host.close();
      } catch (Exception e) {
        throw new ManagerException(
            ManagerException.Code.INTERNAL, "stopping the manager failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "Manager[" + target() + (closed.get() ? ", closed" : "") + "]";
  }
}
