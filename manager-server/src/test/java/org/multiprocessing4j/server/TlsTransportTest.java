package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.internal.client.ClientInternals;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * The session transport over TLS against the real manager on a real TCP port: which transport
 * serves it, large messages both ways (many TLS records, across the flow-control windows), many
 * threads on one session, a manager killed mid-call, TLS 1.3 KeyUpdates from the manager's side,
 * and the failures a TLS client must explain (a certificate for another host, a manager that does
 * not speak TLS). Runs over whichever transport {@code -Dmp4j.transport} picks (the build runs it
 * over both).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsTransportTest {
  private static final byte[] KEY = "tls-transport-key".getBytes(StandardCharsets.UTF_8);
  private static final Duration FAST = Duration.ofSeconds(5);
  private static final Duration PROMPTLY = Duration.ofSeconds(1);

  @TempDir static Path dir;
  private static TestCertificates certificates;

  // A long lease: the manager hears nothing from a client while a large message is on its way.
  @RegisterExtension
  static final ServerExtension<ManagerServer> TLS =
      TestServers.tcp(
          KEY,
          b ->
              b.tls(certificates.serverCert, certificates.serverKey)
                  .leaseTimeout(Duration.ofMinutes(2)));

  @RegisterExtension
  static final ServerExtension<ManagerServer> OTHER_HOST =
      TestServers.tcp(KEY, b -> b.tls(certificates.otherHostCert, certificates.otherHostKey));

  @RegisterExtension static final ServerExtension<ManagerServer> PLAINTEXT = TestServers.tcp(KEY);

  @BeforeAll
  static void makeCertificates() throws Exception {
    certificates = TestCertificates.make(dir);
  }

  private static Manager connect(String target) {
    return Manager.builder().authkey(KEY).tls(certificates.ca).connect(target);
  }

  @Test
  void aTlsSessionIsServedByTheTransportChosen() {
    boolean grpcJava = "grpc-java".equals(System.getProperty("mp4j.transport"));
    try (Manager m = connect(TLS.server().target())) {
      // Ours: the calling thread reads its own reply; grpc-java's: its event loop does.
      assertEquals(!grpcJava, ClientInternals.callerDriven(m));
      SharedList<String> list = m.list();
      list.add("x");
      assertEquals(List.of("x"), list.copy());
    }
  }

  @Test
  void messagesOfTensOfMebibytesCrossBothWays() {
    byte[] big = new byte[24 * 1024 * 1024 + 7];
    new Random(7).nextBytes(big);
    try (Manager m = connect(TLS.server().target())) {
      SharedList<byte[]> list = m.list();
      list.add(big); // a 24 MiB request: about 1,500 TLS records, many send windows
      list.add(new byte[] {1});
      assertArrayEquals(big, list.get(0)); // and a 24 MiB reply
      assertArrayEquals(new byte[] {1}, list.get(1));
      List<byte[]> both = list.copy();
      assertArrayEquals(big, both.get(0));
      assertEquals(2, both.size());
    }
  }

  @Test
  void manyThreadsOnOneSessionEachGetTheirOwnReplies() throws Exception {
    try (Manager m = connect(TLS.server().target())) {
      SharedMap<String, Integer> counters = m.dict();
      int threads = 8;
      int calls = 500;
      List<FutureTask<String>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String key = "thread-" + t;
        tasks.add(
            start(
                () -> {
                  counters.put(key, 0);
                  for (int i = 1; i <= calls; i++) {
                    // Each reply names this thread's previous value: a reply delivered to the
                    // wrong thread, or lost, shows.
                    Integer previous = counters.put(key, i);
                    if (previous == null || previous != i - 1) {
                      return key + " got " + previous + " for call " + i;
                    }
                  }
                  return "ok";
                }));
      }
      for (FutureTask<String> task : tasks) {
        assertEquals("ok", task.get());
      }
      assertEquals(threads, counters.size());
    }
  }

  @Test
  void aManagerKilledMidCallFailsEveryWaiterWithinASecond() throws Exception {
    List<String> command =
        ChildJvm.command(
            List.of(),
            ManagerMain.class.getName(),
            "--port",
            "0",
            "--tls-cert",
            certificates.serverCert.toString(),
            "--tls-key",
            certificates.serverKey.toString(),
            "--exit-with-parent");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(Manager.ENV_AUTHKEY, new String(KEY, StandardCharsets.UTF_8));
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process managerJvm = builder.start();
    try (Manager m = connect(TlsTest.listeningTarget(managerJvm))) {
      SharedQueue<String> queue = m.queue();
      List<FutureTask<String>> waiters = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiters.add(start(queue::take)); // one reads for all four
      }
      waitUntil(() -> ClientInternals.describe(m, queue).contains("4 waiting to get"));
      assertTimeoutPreemptively(
          PROMPTLY,
          () -> {
            managerJvm.destroyForcibly();
            for (FutureTask<String> waiter : waiters) {
              ExecutionException e = assertThrows(ExecutionException.class, waiter::get);
              assertInstanceOf(ManagerUnavailableException.class, e.getCause());
            }
          });
      assertThrows(ManagerUnavailableException.class, queue::size);
    } finally {
      managerJvm.destroyForcibly();
      managerJvm.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCertificateForAnotherHostIsRefused() {
    // Signed by the CA the client trusts, but naming other.example, not the host dialled.
    String target = OTHER_HOST.server().target();
    ManagerUnavailableException e =
        assertFast(ManagerUnavailableException.class, () -> connect(target));
    assertTrue(e.getMessage().startsWith("TLS with the manager at " + target), e.getMessage());
    assertTrue(e.getMessage().contains("must name the host dialled"), e.getMessage());
    assertTrue(hasCause(e, SSLException.class), e.getMessage());
  }

  @Test
  void aCertificateFromAnUntrustedCaIsRefused() {
    String target = TLS.server().target();
    ManagerUnavailableException e =
        assertFast(
            ManagerUnavailableException.class,
            () -> Manager.builder().authkey(KEY).tls(certificates.otherCa).connect(target));
    assertTrue(e.getMessage().startsWith("TLS with the manager at " + target), e.getMessage());
    assertTrue(hasCause(e, SSLException.class), e.getMessage());
  }

  @Test
  void aPlaintextManagerReachedWithTlsSaysSo() {
    String target = PLAINTEXT.server().target();
    ManagerUnavailableException e =
        assertFast(ManagerUnavailableException.class, () -> connect(target));
    assertTrue(
        e.getMessage().startsWith("the manager at " + target + " does not answer in TLS"),
        e.getMessage());
    // And the plaintext manager still serves plaintext clients.
    try (Manager m = Manager.connect(target, KEY)) {
      assertEquals(0, m.list().size());
    }
  }

  @Test
  void keyUpdatesFromTheManagerSideKeepTheSessionGoing() throws Exception {
    // A TLS 1.3 peer may send KeyUpdate at any time, asking for ours: the JDK's TLS socket sends
    // one (update requested) on each startHandshake(). A proxy terminating TLS in front of a
    // plaintext manager sends them between the manager's replies.
    try (KeyUpdatingProxy proxy = new KeyUpdatingProxy(PLAINTEXT.server().port());
        Manager m = connect("127.0.0.1:" + proxy.port())) {
      SharedList<Integer> list = m.list();
      for (int i = 0; i < 2000; i++) {
        list.add(i);
        if (i % 50 == 0) {
          proxy.sendKeyUpdate();
        }
      }
      assertEquals(2000, list.size());
      assertEquals(1999, list.get(1999));
      assertTrue(proxy.keyUpdates() >= 40, proxy.keyUpdates() + " key updates");
    }
  }

  /**
   * Terminates TLS (the JDK's, TLS 1.3, ALPN h2, the test's server certificate) and passes the
   * bytes on to a plaintext manager, both ways; sends a KeyUpdate when asked.
   *
   * <p>Thread safety: one client connection; {@link #sendKeyUpdate} from any thread once it is
   * connected (the JDK's TLS socket serializes its writes).
   */
  private static final class KeyUpdatingProxy implements AutoCloseable {
    private final SSLServerSocket listener;
    private final int upstreamPort;
    private final AtomicInteger keyUpdates = new AtomicInteger();
    private volatile SSLSocket client;
    private final List<Closeable> open = Collections.synchronizedList(new ArrayList<>());

    KeyUpdatingProxy(int upstreamPort) throws Exception {
      this.upstreamPort = upstreamPort;
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(keyManagers(), null, null);
      listener =
          (SSLServerSocket)
              context
                  .getServerSocketFactory()
                  .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
      SSLParameters parameters = listener.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      parameters.setProtocols(new String[] {"TLSv1.3"});
      listener.setSSLParameters(parameters);
      open.add(listener);
      Thread acceptor = new Thread(this::accept, "tls-proxy-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    int keyUpdates() {
      return keyUpdates.get();
    }

    void sendKeyUpdate() throws IOException {
      client.startHandshake(); // on an established TLS 1.3 connection: a KeyUpdate
      keyUpdates.incrementAndGet();
    }

    private void accept() {
      try {
        SSLSocket accepted = (SSLSocket) listener.accept();
        open.add(accepted);
        accepted.startHandshake();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        open.add(upstream);
        client = accepted;
        pump(accepted.getInputStream(), upstream.getOutputStream(), "tls-proxy-up");
        pump(upstream.getInputStream(), accepted.getOutputStream(), "tls-proxy-down");
      } catch (IOException e) {
        // closed
      }
    }

    private static void pump(InputStream in, OutputStream out, String name) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  in.transferTo(out);
                } catch (IOException e) {
                  // closed
                }
              },
              name);
      thread.setDaemon(true);
      thread.start();
    }

    private static KeyManager[] keyManagers() throws Exception {
      Certificate certificate;
      try (InputStream in = Files.newInputStream(certificates.serverCert)) {
        certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      String pem = Files.readString(certificates.serverKey);
      byte[] der =
          Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, new char[0], new Certificate[] {certificate});
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, new char[0]);
      return factory.getKeyManagers();
    }

    @Override
    public void close() {
      synchronized (open) {
        for (Closeable closeable : open) {
          try {
            closeable.close();
          } catch (IOException e) {
            // closing anyway
          }
        }
      }
    }
  }

  // --- helpers

  private static <T extends Throwable> T assertFast(Class<T> type, Runnable call) {
    long start = System.nanoTime();
    T e = assertThrows(type, call::run);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(FAST) < 0, "took " + took + ": " + e);
    return e;
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static FutureTask<String> start(Callable<String> call) {
    FutureTask<String> task = new FutureTask<>(call);
    Thread thread = new Thread(task, "caller");
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(10);
    }
  }
}
