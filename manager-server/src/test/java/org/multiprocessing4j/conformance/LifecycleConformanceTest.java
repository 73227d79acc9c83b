package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.multiprocessing4j.GenericProxy;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.RemoteStackTrace;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.internal.wire.Handshake;
import org.multiprocessing4j.proto.v1.Challenge;
import org.multiprocessing4j.proto.v1.ClientMessage;
import org.multiprocessing4j.proto.v1.ManagerServiceGrpc;
import org.multiprocessing4j.proto.v1.ServerMessage;
import org.multiprocessing4j.proto.v1.Welcome;
import org.multiprocessing4j.server.ManagerServer;
import org.multiprocessing4j.server.TestServers;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.ServerExtension;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * Spec §4.10 (custom managers, remote managers, lifecycle, authentication) cases 83–91, and what a
 * client sees when its manager dies or shuts down (§3.6, §3.12): every pending and later call fails
 * promptly with {@link ManagerUnavailableException}, never hangs. Each test starts the managers it
 * needs, since most of them end with the manager gone.
 *
 * <p>Python's {@code BaseManager} subclass with {@code register(...)} is a {@link ManagerServer}
 * built with {@code register(typeId, factory, exposedInterface)}; a client declares only the
 * interface ({@code m.create(typeId, Interface.class)}), as Python's {@code QueueManager2} declares
 * {@code register('get_queue')} without a callable. Python's {@code _callmethod} is {@link
 * GenericProxy#invoke}, which a client uses for a type it declared no interface for; the by-name
 * cases therefore use the same class registered under a second type id.
 *
 * <p>Cases that do not apply to the Java API:
 *
 * <ul>
 *   <li>case 83 {@code register('baz', ..., proxytype=IteratorProxy)}: there are no proxy types to
 *       choose; exposing {@link Iterator} gives the same iterable-through-the-manager object.
 *   <li>case 86/87 {@code serializer='xmlrpclib'} (tuples arriving as lists): there is one wire
 *       format; a {@code List} arrives as a {@code List}.
 *   <li>case 87 {@code get_server()} / {@code srvr.listener.close()}: Python's way to learn a free
 *       address before starting; {@code ManagerServer} binds port 0 and reports {@code port()}.
 *   <li>case 88 {@code test_manager_initializer} ({@code start(initializer, initargs)}, {@code
 *       start(1)} raising {@code TypeError}): {@code Manager.start()} takes no initializer; an
 *       embedded {@code ManagerServer} runs in the caller's code, which can do anything before
 *       {@code start()}; and a proxy of another manager cannot be stored in this one at all.
 *   <li>case 89/90 with a fake {@code Connection} object: the handshake runs inside the session
 *       stream; the Java versions use a real client with a wrong key against the manager, and a
 *       real client against an impostor manager that cannot prove the key.
 *   <li>case 83/84 {@code manager._process.exitcode in (0, -SIGTERM)}: an embedded manager has no
 *       process; the Java tests assert the server terminated ({@code awaitTermination}), and for a
 *       manager JVM ({@code Manager.start()}) that the JVM exited.
 * </ul>
 */
// Its cases start managers of their own; the base class's is the cheapest.
@WithManager(ManagerTier.IN_MEMORY)
class LifecycleConformanceTest extends SyncConformanceBase {
  /** At most this long from the manager's death to the failure of every call. */
  private static final Duration PROMPTLY = Duration.ofSeconds(1);

  // case 86's manager: its key (Python: os.urandom(32)) and its queue (the module-global Queue())
  private static final byte[] REMOTE_KEY = Handshake.newAuthkey();
  private static final RemoteQueueImpl REMOTE_QUEUE = new RemoteQueueImpl();

  // The cases' own managers, one each: a case that stops its manager leaves none for another.
  @RegisterExtension
  static final ServerExtension<ManagerServer> MY_MANAGER =
      TestServers.tcp(KEY, LifecycleConformanceTest::myManager);

  @RegisterExtension
  static final ServerExtension<ManagerServer> REGISTERED =
      TestServers.tcp(KEY, LifecycleConformanceTest::myManager);

  @RegisterExtension
  static final ServerExtension<ManagerServer> REMOTE =
      TestServers.tcp(
          REMOTE_KEY, b -> b.register("get_queue", args -> REMOTE_QUEUE, RemoteQueue.class));

  @RegisterExtension static final ServerExtension<ManagerServer> REFUSING = TestServers.tcp(KEY);
  @RegisterExtension static final ServerExtension<ManagerServer> TEARDOWN = TestServers.tcp(KEY);
  @RegisterExtension static final ServerExtension<ManagerServer> CLOSED = TestServers.tcp(KEY);
  @RegisterExtension static final ServerExtension<ManagerServer> SHUT_DOWN = TestServers.tcp(KEY);

  // --- Python's FooBar and its exposed sets

  /** What {@code register('Foo', FooBar)} exposes: the public methods. */
  public interface Foo {
    String f();

    String g();
  }

  /** What {@code register('Bar', FooBar, exposed=('f', '_h'))} exposes. */
  public interface Bar {
    String f();

    String _h();
  }

  static final class FooBar implements Foo, Bar {
    @Override
    public String f() {
      return "f()";
    }

    @Override
    public String g() {
      throw new IllegalArgumentException("g()"); // Python: ValueError
    }

    @Override
    public String _h() {
      return "_h()";
    }
  }

  /** Python's {@code baz()} generator of squares. */
  private static Iterator<Integer> squares(int n) {
    return IntStream.range(0, n).map(i -> i * i).boxed().iterator();
  }

  /** Python's {@code MyManager}. */
  private static ManagerServer.Builder myManager(ManagerServer.Builder builder) {
    return builder
        .register("Foo", args -> new FooBar(), Foo.class)
        .register("Bar", args -> new FooBar(), Bar.class)
        .register("FooByName", args -> new FooBar(), Foo.class)
        .register("BarByName", args -> new FooBar(), Bar.class)
        .register("baz", args -> squares((Integer) args.get(0)), Iterator.class);
  }

  /** Python's {@code test_mymanager} common part. */
  private static void common(Manager manager) {
    Foo foo = manager.create("Foo", Foo.class);
    Bar bar = manager.create("Bar", Bar.class);
    Iterator<?> baz = manager.create("baz", Iterator.class, 10);

    assertEquals("f()", foo.f());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, foo::g);
    assertEquals("g()", e.getMessage());
    assertInstanceOf(RemoteStackTrace.class, e.getCause(), "the manager's stack trace comes along");

    assertEquals("f()", bar.f());
    assertEquals("_h()", bar._h());

    // _callmethod: by name, and only what the manager exposes for the type.
    GenericProxy fooByName = manager.create("FooByName", GenericProxy.class);
    assertEquals("f()", fooByName.invoke("f"));
    assertNotExposed(() -> fooByName.invoke("_h")); // Python: RemoteError
    GenericProxy barByName = manager.create("BarByName", GenericProxy.class);
    assertEquals("f()", barByName.invoke("f"));
    assertEquals("_h()", barByName.invoke("_h"));
    assertNotExposed(() -> barByName.invoke("g")); // bar has f and _h but not g

    List<Object> squares = new ArrayList<>();
    while (baz.hasNext()) {
      squares.add(baz.next());
    }
    assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49, 64, 81), squares);
    assertThrows(NoSuchElementException.class, baz::next);
  }

  private static void assertNotExposed(Runnable call) {
    ManagerException e = assertThrows(ManagerException.class, call::run);
    assertEquals(ManagerException.Code.METHOD_NOT_EXPOSED, e.code());
  }

  // --- case 83: test_mymanager

  @Test
  void mymanager_registeredTypesThenShutdown() throws Exception {
    ManagerServer own = MY_MANAGER.server();
    Manager manager = Manager.connect(own.target(), KEY);
    common(manager);
    manager.shutdown();
    assertTrue(own.awaitTermination(LONG), "the manager stopped");
  }

  // --- case 84: test_mymanager_context

  @Test
  void mymanagerContext_tryWithResourcesShutsTheManagerDown() throws Exception {
    String target;
    Foo foo;
    // The case is ManagerServer's try-with-resources: it starts and closes its manager itself.
    try (ManagerServer own = myManager(ManagerServer.builder().authkey(KEY)).build().start();
        Manager manager = Manager.connect(own.target(), KEY)) {
      target = own.target();
      common(manager);
      foo = manager.create("Foo", Foo.class);
    }
    ManagerException e = assertThrows(ManagerException.class, foo::f);
    assertEquals(ManagerException.Code.MANAGER_SHUT_DOWN, e.code());
    assertThrows(ManagerUnavailableException.class, () -> Manager.connect(target, KEY));
  }

  @Test
  void startedManagerContext_tryWithResourcesStopsItsJvm() throws Exception {
    Set<Long> before = childPids();
    ProcessHandle managerJvm;
    SharedList<Integer> list;
    try (Manager manager = Manager.builder().authkey(KEY).start()) {
      managerJvm = newManagerJvm(before);
      list = manager.list(List.of(1));
      assertEquals(List.of(1), list.copy());
    }
    managerJvm.onExit().get(LONG.toSeconds(), TimeUnit.SECONDS);
    assertFalse(managerJvm.isAlive());
    ManagerException e = assertThrows(ManagerException.class, list::size);
    assertEquals(ManagerException.Code.MANAGER_SHUT_DOWN, e.code());
  }

  // --- case 85: test_mymanager_context_prestarted

  @Test
  void prestartedManagerContext() throws Exception {
    Manager manager = Manager.builder().hostInProcess().authkey(KEY).start();
    SharedList<Integer> list = manager.list();
    String target = manager.target();
    try (manager) {
      list.add(1);
      assertEquals(1, manager.stats().objectCount());
    }
    ManagerException e = assertThrows(ManagerException.class, list::size);
    assertEquals(ManagerException.Code.MANAGER_SHUT_DOWN, e.code());
    assertThrows(ManagerUnavailableException.class, () -> Manager.connect(target, KEY));
  }

  // --- case 86: test_remote

  /** What {@code get_queue} returns: a queue of the manager's program, not a shared type. */
  public interface RemoteQueue {
    void put(Object item);

    Object get();
  }

  static final class RemoteQueueImpl implements RemoteQueue {
    private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();

    @Override
    public void put(Object item) {
      items.add(item);
    }

    @Override
    public Object get() {
      Object item = items.poll();
      if (item == null) {
        throw new NoSuchElementException("the queue is empty");
      }
      return item;
    }
  }

  @Test
  void remoteManager_overTcpWithARandomKey() throws Exception {
    byte[] key = REMOTE_KEY;
    byte[] bytes = "bytes".getBytes(StandardCharsets.US_ASCII);
    List<Object> values =
        Arrays.asList(
            "hello world",
            null,
            true,
            2.25,
            "hall\u00e5 v\u00e4rld",
            "\u043f\u0440\u0438\u0432\u0456\u0442",
            bytes);
    ManagerServer remote = REMOTE.server();
    String address = "127.0.0.1:" + remote.port();
    // A separate process that knows only the address, the key and the type id.
    join(
        CompletableFuture.runAsync(
            () -> {
              try (Manager client = Manager.connect(address, key)) {
                client.create("get_queue", RemoteQueue.class).put(values);
              }
            }));
    try (Manager client = Manager.connect("localhost:" + remote.port(), key)) {
      RemoteQueue q = client.create("get_queue", RemoteQueue.class);
      List<?> got = assertInstanceOf(List.class, q.get());
      assertEquals(values.subList(0, 6), got.subList(0, 6));
      assertArrayEquals(bytes, (byte[]) got.get(6));
      assertThrows(NoSuchElementException.class, q::get);
      // Python: queue.put(time.sleep) raises (it cannot be serialized)
      Runnable function = () -> {};
      long served = client.stats().callsServed();
      ManagerException e = assertThrows(ManagerException.class, () -> q.put(function));
      assertEquals(ManagerException.Code.UNSUPPORTED_VALUE, e.code());
      assertEquals(served + 1, client.stats().callsServed(), "nothing was sent");
      assertThrows(NoSuchElementException.class, q::get);
    }
  }

  // --- case 87: test_rapid_restart

  @Test
  void rapidRestart_onTheSameAddress() throws Exception {
    // The case restarts a manager on its port mid-test: it starts and stops its managers itself.
    ManagerServer first = ManagerServer.builder().authkey(KEY).tcp("127.0.0.1", 0).build().start();
    int port = first.port();
    Manager parent = Manager.connect(first.target(), KEY);
    SharedQueue<String> queue = parent.queue();
    try (Manager proc = Manager.connect(first.target(), KEY)) {
      via(proc, queue).put("hello world");
    }
    assertEquals("hello world", queue.take());
    first.shutdown();

    ManagerServer second;
    try {
      second = ManagerServer.builder().authkey(KEY).tcp("127.0.0.1", port).build().start();
    } catch (IOException addressInUse) { // Python allows one retry on EADDRINUSE
      second = ManagerServer.builder().authkey(KEY).tcp("127.0.0.1", port).build().start();
    }
    try (ManagerServer restarted = second;
        Manager client = Manager.connect("127.0.0.1:" + port, KEY)) {
      // The old proxy does not silently reach the new manager.
      assertThrows(ManagerException.class, queue::size);
      assertEquals(0, restarted.objectCount());
      assertEquals(1, restarted.sessionCount());
      SharedQueue<String> fresh = client.queue();
      fresh.put("again");
      assertEquals("again", fresh.take());
    } finally {
      parent.close();
    }
  }

  // --- cases 89/90 (OtherTest): both ends of the handshake refuse a bogus digest

  @Test
  void wrongAuthkey_isRefusedAndCreatesNothing() throws Exception {
    ManagerServer own = REFUSING.server();
    try (Manager client = Manager.connect(own.target(), KEY)) {
      SharedList<Integer> held = client.list(List.of(1));
      long objects = client.stats().objectCount();
      int sessions = own.sessionCount();
      List<byte[]> wrongKeys =
          List.of(
              "wrong".getBytes(StandardCharsets.UTF_8),
              new byte[0],
              Arrays.copyOf(KEY, KEY.length - 1),
              Handshake.newAuthkey());
      for (byte[] wrong : wrongKeys) {
        ManagerException e =
            assertThrows(ManagerException.class, () -> Manager.connect(own.target(), wrong));
        assertEquals(ManagerException.Code.AUTHENTICATION_FAILED, e.code());
      }
      assertEquals(objects, client.stats().objectCount());
      assertEquals(1, objects);
      assertEquals(sessions, own.sessionCount(), "a refused client never had a session");
      assertEquals(List.of(1), held.copy());
    }
  }

  /** A manager that does not hold the key: it answers the handshake with a made-up proof. */
  private static final class ImpostorManager extends ManagerServiceGrpc.ManagerServiceImplBase {
    final List<ClientMessage> received = new CopyOnWriteArrayList<>();
    final byte[] serverNonce = Handshake.newNonce();

    @Override
    public StreamObserver<ClientMessage> session(StreamObserver<ServerMessage> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(ClientMessage message) {
          received.add(message);
          if (message.hasHello()) {
            out.onNext(
                ServerMessage.newBuilder()
                    .setChallenge(
                        Challenge.newBuilder().setServerNonce(ByteString.copyFrom(serverNonce)))
                    .build());
          } else if (message.hasAuthenticate()) {
            out.onNext(
                ServerMessage.newBuilder()
                    .setWelcome(
                        Welcome.newBuilder()
                            .setSessionId(1)
                            .setDigest(ByteString.copyFrom(Handshake.newNonce())))
                    .build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  @Test
  void impostorManager_isRefusedByTheClient() throws Exception {
    ImpostorManager impostor = new ImpostorManager();
    Server fake =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .directExecutor()
            .addService(impostor)
            .build()
            .start();
    try {
      ManagerException e =
          assertThrows(
              ManagerException.class, () -> Manager.connect("127.0.0.1:" + fake.getPort(), KEY));
      assertEquals(ManagerException.Code.AUTHENTICATION_FAILED, e.code());
      // The client proved itself with an HMAC over both nonces; the key never crossed the wire.
      assertEquals(2, impostor.received.size(), "Hello and Authenticate, then nothing");
      byte[] clientNonce = impostor.received.get(0).getHello().getClientNonce().toByteArray();
      byte[] digest = impostor.received.get(1).getAuthenticate().getDigest().toByteArray();
      assertArrayEquals(Handshake.clientDigest(KEY, impostor.serverNonce, clientNonce), digest);
    } finally {
      fake.shutdownNow();
      fake.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  // --- case 91: teardown's object count

  @Test
  void objectCount_dropsToZeroWhenEveryClientHasGone() throws Exception {
    ManagerServer own = TEARDOWN.server();
    Manager a = Manager.connect(own.target(), KEY);
    Manager b = Manager.connect(own.target(), KEY);
    SharedList<Object> list = a.list();
    list.add(a.dict(Map.of("k", 1)));
    SharedQueue<String> queue = a.queue();
    SharedLock lock = b.lock();
    lock.lock();
    SharedList<Object> seenByB = via(b, list);
    seenByB.add(b.namespace());
    assertEquals(
        Map.of("list", 1L, "dict", 1L, "queue", 1L, "lock", 1L, "namespace", 1L),
        a.stats().objectsByType());
    assertEquals(5, a.stats().objectCount());
    assertTrue(queue.isEmpty());

    a.close(); // its queue goes; the list (and what it holds) and the lock are b's too
    QueueConformanceTest.waitUntil(() -> own.sessionCount() == 1);
    assertEquals(
        Map.of("list", 1L, "dict", 1L, "lock", 1L, "namespace", 1L), b.stats().objectsByType());
    assertEquals(2, seenByB.size());
    assertTrue(lock.isLocked());

    b.close();
    QueueConformanceTest.waitUntil(() -> own.objectCount() == 0 && own.sessionCount() == 0);
  }

  // --- a dead manager: every pending and later call fails promptly

  @Test
  void killedManager_failsPendingAndNewCallsWithinOneSecond() throws Exception {
    Set<Long> before = childPids();
    Manager manager = Manager.builder().authkey(KEY).start();
    try {
      ProcessHandle managerJvm = newManagerJvm(before);
      String target = manager.target();
      SharedQueue<String> queue = manager.queue();
      SharedList<Integer> list = manager.list();
      Manager other = Manager.connect(target, KEY); // another process, idle when the manager dies
      SharedList<Integer> othersList = via(other, list);
      FutureTask<String> pendingTake = startDaemon(queue::take);
      QueueConformanceTest.waitUntil(
          () -> managerView(manager, queue).contains("1 waiting to get"));

      assertTimeoutPreemptively(
          PROMPTLY,
          () -> {
            assertTrue(managerJvm.destroyForcibly(), "kill -9 sent"); // the clock starts here
            assertUnavailable(pendingTake);
            assertThrows(ManagerUnavailableException.class, list::size);
            assertThrows(ManagerUnavailableException.class, manager::list);
            assertThrows(ManagerUnavailableException.class, othersList::size);
          });
      assertThrows(ManagerUnavailableException.class, () -> Manager.connect(target, KEY));
      other.close();
    } finally {
      manager.close();
    }
  }

  @Test
  void closedServer_failsPendingAndNewCallsWithinOneSecond() throws Exception {
    ManagerServer own = CLOSED.server();
    Manager client = Manager.connect(own.target(), KEY);
    SharedQueue<String> queue = client.queue();
    SharedList<Integer> list = client.list();
    FutureTask<String> pendingTake = startDaemon(queue::take);
    QueueConformanceTest.waitUntil(() -> managerView(client, queue).contains("1 waiting to get"));
    Thread closer = new Thread(own::close, "closer");

    assertTimeoutPreemptively(
        PROMPTLY,
        () -> {
          closer.start(); // the clock starts here
          assertUnavailable(pendingTake);
          assertThrows(ManagerUnavailableException.class, list::size);
          assertThrows(ManagerUnavailableException.class, client::queue);
        });
    closer.join(LONG.toMillis());
    assertFalse(closer.isAlive());
    client.close();
  }

  // --- §3.12: calls after shutdown() fail clearly

  @Test
  void callsAfterShutdownFailClearly() throws Exception {
    ManagerServer own = SHUT_DOWN.server();
    String target = own.target(); // (ManagerServer.target() throws once it has terminated)
    Manager owner = Manager.connect(target, KEY);
    Manager other = Manager.connect(target, KEY);
    SharedList<Integer> mine = owner.list(List.of(1));
    SharedList<Integer> theirs = via(other, mine);
    SharedQueue<String> queue = other.queue();
    FutureTask<String> pendingTake = startDaemon(queue::take);
    QueueConformanceTest.waitUntil(() -> managerView(other, queue).contains("1 waiting to get"));

    owner.shutdown();
    assertTrue(own.awaitTermination(LONG), "the manager stopped");

    // This handle asked for it: MANAGER_SHUT_DOWN (Python: AssertionError 'server not yet
    // started').
    ManagerException e = assertThrows(ManagerException.class, mine::size);
    assertEquals(ManagerException.Code.MANAGER_SHUT_DOWN, e.code());
    e = assertThrows(ManagerException.class, owner::list);
    assertEquals(ManagerException.Code.MANAGER_SHUT_DOWN, e.code());
    owner.shutdown(); // idempotent
    owner.close();

    // Everyone else: the manager is gone, and the message says why.
    ManagerUnavailableException gone = assertUnavailable(pendingTake);
    assertTrue(gone.getMessage().contains("shut down"), gone.getMessage());
    gone = assertThrows(ManagerUnavailableException.class, theirs::size);
    assertTrue(gone.getMessage().contains("shut down"), gone.getMessage());
    assertThrows(ManagerUnavailableException.class, other::list);
    assertThrows(ManagerUnavailableException.class, () -> Manager.connect(target, KEY));
    other.close();
  }

  @Test
  void serverLifecycle_startOnlyOnce() throws Exception {
    // The case is ManagerServer's own start and shutdown: it builds its manager itself.
    ManagerServer own = ManagerServer.builder().authkey(KEY).build();
    own.start();
    assertThrows(IllegalStateException.class, own::start); // Python: 'Already started server'
    own.shutdown();
    own.shutdown(); // idempotent
    assertThrows(IllegalStateException.class, own::start); // Python: 'Manager has shut down'
    assertThrows(IllegalStateException.class, () -> ManagerServer.builder().build(), "no authkey");
  }

  // --- §3.13: register()

  @Test
  void register_createArgumentsReachTheFactory() throws Exception {
    ManagerServer own = REGISTERED.server();
    try (Manager client = Manager.connect(own.target(), KEY)) {
      Iterator<?> three = client.create("baz", Iterator.class, 3);
      List<Object> squares = new ArrayList<>();
      while (three.hasNext()) {
        squares.add(three.next());
      }
      assertEquals(List.of(0, 1, 4), squares);

      // Python: an error while creating is a RemoteError; here the factory's exception type.
      assertThrows(IndexOutOfBoundsException.class, () -> client.create("baz", Iterator.class));
      assertThrows(ClassCastException.class, () -> client.create("baz", Iterator.class, "three"));
      ManagerException unknown =
          assertThrows(ManagerException.class, () -> client.create("nope", GenericProxy.class));
      assertEquals(ManagerException.Code.UNKNOWN_TYPE, unknown.code()); // Python: KeyError 'nope'
      assertEquals(1, own.objectCount(), "failed creates create nothing");
      assertFalse(three.hasNext());
    }
  }

  @Test
  void register_refusesTakenIdsAndClasses() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ManagerServer.builder().register("list", args -> new FooBar(), Foo.class));
    ManagerServer.Builder builder =
        ManagerServer.builder().register("Foo", args -> new FooBar(), Foo.class);
    assertThrows(
        IllegalArgumentException.class,
        () -> builder.register("Foo", args -> new FooBar(), Bar.class));
    assertThrows(
        IllegalArgumentException.class,
        () -> ManagerServer.builder().register("FooBar", args -> new FooBar(), FooBar.class),
        "only an interface can be exposed");
  }

  // --- helpers

  /** Runs {@code call} in a daemon thread (Python: a blocked thread of the process). */
  private static FutureTask<String> startDaemon(java.util.concurrent.Callable<String> call) {
    FutureTask<String> task = new FutureTask<>(call);
    Thread thread = new Thread(task, "blocked-caller");
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  private static ManagerUnavailableException assertUnavailable(FutureTask<String> pending) {
    ExecutionException e = assertThrows(ExecutionException.class, pending::get);
    return assertInstanceOf(ManagerUnavailableException.class, e.getCause());
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  /** The manager JVM {@code Manager.start()} launched: the new child of this JVM. */
  private static ProcessHandle newManagerJvm(Set<Long> before) {
    List<ProcessHandle> started =
        ProcessHandle.current()
            .children()
            .filter(p -> !before.contains(p.pid()))
            // The executable, not the command line: the JDK gives only the executable as the
            // command line when the arguments are long (a long class path, as when this class runs
            // alone), so the main class name is not there to match.
            .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(true))
            .collect(Collectors.toList());
    assertEquals(1, started.size(), "expected one new manager JVM, found " + started);
    return started.get(0);
  }
}
