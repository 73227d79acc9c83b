package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.testsupport.ChildJvm;
import org.multiprocessing4j.testsupport.ServerExtension;

/**
 * TLS and mutual TLS over real TCP sockets, with certificates made at test time by the {@code
 * openssl} CLI ({@link TestCertificates}). Runs over whichever transport {@code -Dmp4j.transport}
 * picks (the build runs it over both).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsTest {
  private static final byte[] KEY = "tls-test-key".getBytes(StandardCharsets.UTF_8);
  // Well under the client's 10 s handshake timeout: a refused connection must fail, not time out.
  private static final Duration FAST = Duration.ofSeconds(5);

  @TempDir static Path dir;
  private static Path ca;
  private static Path serverCert;
  private static Path serverKey;
  private static Path clientCert;
  private static Path clientKey;
  private static Path otherCa;
  private static Path otherClientCert;
  private static Path otherClientKey;

  // Started once start() has made the certificates they name.
  @RegisterExtension
  static final ServerExtension<ManagerServer> TLS =
      TestServers.tcp(KEY, b -> b.tls(serverCert, serverKey));

  @RegisterExtension
  static final ServerExtension<ManagerServer> MUTUAL_TLS =
      TestServers.tcp(KEY, b -> b.tls(serverCert, serverKey).clientTrust(ca));

  private static ManagerServer tls;
  private static ManagerServer mutualTls;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates certificates = TestCertificates.make(dir);
    ca = certificates.ca;
    serverCert = certificates.serverCert;
    serverKey = certificates.serverKey;
    clientCert = certificates.clientCert;
    clientKey = certificates.clientKey;
    otherCa = certificates.otherCa;
    otherClientCert = certificates.otherClientCert;
    otherClientKey = certificates.otherClientKey;
    tls = TLS.server();
    mutualTls = MUTUAL_TLS.server();
  }

  @Test
  void clientTrustingTheCaWorksEndToEnd() {
    try (Manager m = Manager.builder().authkey(KEY).tls(ca).connect(tls.target())) {
      SharedList<String> list = m.list();
      list.add("over");
      list.add("tls");
      assertEquals(List.of("over", "tls"), list.copy());
      assertEquals("tls", list.get(1));
      // Workers started with this environment connect the same way.
      assertEquals(ca.toAbsolutePath().toString(), m.childEnvironment().get(Manager.ENV_TLS_CA));
    }
  }

  @Test
  void hostNameInTheCertificateIsAccepted() {
    try (Manager m = Manager.builder().authkey(KEY).tls(ca).connect("localhost:" + tls.port())) {
      assertEquals(0, m.list().size());
    }
  }

  @Test
  void plaintextClientIsRefusedFast() {
    ManagerUnavailableException e =
        assertFast(ManagerUnavailableException.class, () -> Manager.connect(tls.target(), KEY));
    assertTrue(e.getMessage().contains(tls.target()), e.getMessage());
    assertTrue(e.getMessage().contains("if it serves TLS"), e.getMessage());
  }

  @Test
  void clientNotTrustingTheServersCaIsRefused() {
    ManagerUnavailableException e =
        assertFast(
            ManagerUnavailableException.class,
            () -> Manager.builder().authkey(KEY).tls(otherCa).connect(tls.target()));
    assertTrue(mentionsTls(e), describe(e));
    assertTrue(e.getMessage().startsWith("TLS with the manager at"), e.getMessage());
  }

  @Test
  void wrongAuthkeyOverTlsIsStillRefused() {
    ManagerException e =
        assertFast(
            ManagerException.class,
            () -> Manager.builder().authkey("wrong").tls(ca).connect(tls.target()));
    assertEquals(ManagerException.Code.AUTHENTICATION_FAILED, e.code());
    ManagerException mutual =
        assertFast(
            ManagerException.class,
            () ->
                Manager.builder()
                    .authkey("wrong")
                    .tls(ca)
                    .tlsClientCertificate(clientCert, clientKey)
                    .connect(mutualTls.target()));
    assertEquals(ManagerException.Code.AUTHENTICATION_FAILED, mutual.code());
  }

  @Test
  void mutualTlsAcceptsACaSignedClientCertificate() {
    try (Manager m =
        Manager.builder()
            .authkey(KEY)
            .tls(ca)
            .tlsClientCertificate(clientCert, clientKey)
            .connect(mutualTls.target())) {
      SharedList<Integer> list = m.list(List.of(1, 2));
      list.add(3);
      assertEquals(List.of(1, 2, 3), list.copy());
      Map<String, String> env = m.childEnvironment();
      assertEquals(clientCert.toAbsolutePath().toString(), env.get(Manager.ENV_TLS_CERT));
      assertEquals(clientKey.toAbsolutePath().toString(), env.get(Manager.ENV_TLS_KEY));
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutCertificate() {
    ManagerUnavailableException e =
        assertFast(
            ManagerUnavailableException.class,
            () -> Manager.builder().authkey(KEY).tls(ca).connect(mutualTls.target()));
    assertTrue(mentionsTls(e), describe(e));
    assertTrue(e.getMessage().contains("refused the TLS handshake"), e.getMessage());
  }

  @Test
  void mutualTlsRefusesAClientCertificateFromAnotherCa() {
    ManagerUnavailableException e =
        assertFast(
            ManagerUnavailableException.class,
            () ->
                Manager.builder()
                    .authkey(KEY)
                    .tls(ca)
                    .tlsClientCertificate(otherClientCert, otherClientKey)
                    .connect(mutualTls.target()));
    assertTrue(mentionsTls(e), describe(e));
    assertTrue(e.getMessage().contains("refused the TLS handshake"), e.getMessage());
  }

  @Test
  void theConnectionIsEncryptedWithTheServersCertificate() throws Exception {
    // A plain TLS client (the JDK's, not gRPC's) sees exactly the configured certificate.
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", readCertificate(ca));
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket)
            context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), tls.port())) {
      socket.setSoTimeout(5000);
      socket.startHandshake();
      Certificate[] seen = socket.getSession().getPeerCertificates();
      assertArrayEquals(readCertificate(serverCert).getEncoded(), seen[0].getEncoded());
    }
    // And plaintext HTTP/2 gets no HTTP/2 answer: the server only speaks TLS on that port.
    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), tls.port())) {
      plain.setSoTimeout(5000);
      OutputStream out = plain.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // an empty SETTINGS frame
      out.flush();
      byte[] answer = readUpTo(plain.getInputStream(), 9);
      // An HTTP/2 server would answer with its SETTINGS frame (type 4 at byte 3).
      assertTrue(answer.length < 4 || answer[3] != 4, "the server spoke plaintext HTTP/2");
    }
  }

  @Test
  void tlsIsForTcpOnly() { // the builders' own checks: it builds its servers here
    IllegalArgumentException unix =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ManagerServer.builder()
                    .authkey(KEY)
                    .unixSocket(dir.resolve("m.sock"))
                    .tls(serverCert, serverKey)
                    .build());
    assertTrue(unix.getMessage().contains("TCP only"), unix.getMessage());
    IllegalArgumentException inProcess =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ManagerServer.builder()
                    .authkey(KEY)
                    .tls(serverCert, serverKey)
                    .inProcess("tls-test")
                    .build());
    assertTrue(inProcess.getMessage().contains("TCP only"), inProcess.getMessage());
    IllegalArgumentException client =
        assertThrows(
            IllegalArgumentException.class,
            () -> Manager.builder().authkey(KEY).tls(ca).connect("unix:///tmp/nothing.sock"));
    assertTrue(client.getMessage().contains("TCP"), client.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> ManagerServer.builder().authkey(KEY).clientTrust(ca).build());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> Manager.builder().tls(dir.resolve("no-such-ca.pem")));
    assertTrue(missing.getMessage().contains("no-such-ca.pem"), missing.getMessage());
  }

  @Test
  void sidecarWithMutualTlsServesAWorkerThatConnectsFromTheEnvironment() throws Exception {
    List<String> command =
        ChildJvm.command(
            List.of(),
            ManagerMain.class.getName(),
            "--port",
            "0",
            "--tls-cert",
            serverCert.toString(),
            "--tls-key",
            serverKey.toString(),
            "--tls-client-ca",
            ca.toString(),
            "--exit-with-parent");
    ProcessBuilder sidecarBuilder = new ProcessBuilder(command);
    sidecarBuilder.environment().put(Manager.ENV_AUTHKEY, new String(KEY, StandardCharsets.UTF_8));
    sidecarBuilder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process sidecar = sidecarBuilder.start();
    try {
      String target = listeningTarget(sidecar);
      try (Manager m =
          Manager.builder()
              .authkey(KEY)
              .tls(ca)
              .tlsClientCertificate(clientCert, clientKey)
              .connect(target)) {
        SharedList<String> list = m.list();
        list.add("parent");
        // The worker gets the list as a serialized proxy and the connection through its
        // environment.
        List<String> workerCommand =
            ChildJvm.command(List.of(), Worker.class.getName(), serialize(list));
        ProcessBuilder workerBuilder = new ProcessBuilder(workerCommand).redirectErrorStream(true);
        workerBuilder.environment().remove(Manager.ENV_AUTHKEY_FILE);
        workerBuilder.environment().putAll(m.childEnvironment());
        ChildJvm.finish(workerBuilder.start(), 0);
        assertEquals(List.of("parent", "worker"), list.copy());
        // Without its certificate, the same worker is refused.
        ProcessBuilder noCert = new ProcessBuilder(workerCommand).redirectErrorStream(true);
        noCert.environment().putAll(m.childEnvironment());
        noCert.environment().remove(Manager.ENV_TLS_CERT);
        noCert.environment().remove(Manager.ENV_TLS_KEY);
        ChildJvm.finish(noCert.start(), 3);
        assertEquals(List.of("parent", "worker"), list.copy());
      }
    } finally {
      sidecar.destroy();
      if (!sidecar.waitFor(10, TimeUnit.SECONDS)) {
        sidecar.destroyForcibly();
      }
    }
  }

  @Test
  void sidecarRejectsTlsOnAUnixSocket() throws Exception {
    List<String> command =
        ChildJvm.command(
            List.of(),
            ManagerMain.class.getName(),
            "--unix-socket",
            dir.resolve("cli.sock").toString(),
            "--tls-cert",
            serverCert.toString(),
            "--tls-key",
            serverKey.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(Manager.ENV_AUTHKEY, "k");
    String output = ChildJvm.finish(builder.start(), 2);
    assertTrue(output.contains("TLS is for TCP only"), output);
  }

  /** A worker JVM: appends to the list it received, over the connection its environment names. */
  public static final class Worker {
    public static void main(String[] args) throws Exception {
      try {
        @SuppressWarnings("unchecked")
        SharedList<String> list = (SharedList<String>) deserialize(args[0]);
        list.add("worker");
        try (Manager m = Manager.connectFromEnvironment()) {
          m.stats();
        }
      } catch (ManagerUnavailableException e) {
        System.out.println("refused: " + e.getMessage());
        System.exit(3);
      }
      System.exit(0);
    }
  }

  // --- helpers

  private static <T extends Throwable> T assertFast(Class<T> type, Runnable call) {
    long start = System.nanoTime();
    T e = assertThrows(type, call::run);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(FAST) < 0, "took " + took + ": " + describe(e));
    return e;
  }

  private static boolean mentionsTls(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return true;
      }
    }
    String message = e.getMessage();
    return message.contains("TLS") || message.contains("certificate");
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" / ");
    }
    return text.toString();
  }

  private static byte[] readUpTo(InputStream in, int count) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    try {
      while (read.size() < count) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        read.write(b);
      }
    } catch (IOException closedOrTimedOut) {
      // what was read so far is the answer
    }
    return read.toByteArray();
  }

  static String listeningTarget(Process process) throws Exception {
    java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(ManagerMain.LISTENING_PREFIX)) {
        return line.substring(ManagerMain.LISTENING_PREFIX.length()).trim();
      }
    }
    fail("the manager exited before it was listening (exit code " + process.waitFor() + ")");
    return null;
  }

  private static String serialize(Object proxy) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(proxy);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static Object deserialize(String text) throws Exception {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
      return in.readObject();
    }
  }

  private static Certificate readCertificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
