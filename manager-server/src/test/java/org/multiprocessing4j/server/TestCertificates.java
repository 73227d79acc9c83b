package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Certificates made at test time by the {@code openssl} CLI in a directory: a CA, a server
 * certificate for localhost/127.0.0.1 and a client certificate signed by it, a server certificate
 * signed by it for another host only, and an unrelated CA with its own client certificate. All PEM,
 * keys unencrypted (EC P-256), valid for two days.
 *
 * <p>Immutable once made.
 */
final class TestCertificates {
  private static final AtomicInteger SERIAL = new AtomicInteger(1000);

  final Path ca;
  final Path serverCert;
  final Path serverKey;
  final Path clientCert;
  final Path clientKey;
  final Path otherHostCert; // signed by ca, naming other.example only
  final Path otherHostKey;
  final Path otherCa;
  final Path otherClientCert;
  final Path otherClientKey;

  private TestCertificates(Path dir) throws Exception {
    try {
      openssl(dir, "version");
    } catch (IOException e) {
      fail(
          "the TLS tests make their certificates with the openssl command, which is not on the"
              + " PATH (Debian: apt-get install openssl): "
              + e.getMessage(),
          e);
    }
    Files.writeString(dir.resolve("openssl.cnf"), CONFIG);
    ca = makeCa(dir, "ca", "mp4j test CA");
    serverCert = signed(dir, "server", "localhost", "ca", "server_ext");
    serverKey = dir.resolve("server.key");
    clientCert = signed(dir, "client", "mp4j test client", "ca", "client_ext");
    clientKey = dir.resolve("client.key");
    otherHostCert = signed(dir, "other-host", "other.example", "ca", "other_host_ext");
    otherHostKey = dir.resolve("other-host.key");
    otherCa = makeCa(dir, "other-ca", "unrelated CA");
    otherClientCert = signed(dir, "other-client", "mp4j test client", "other-ca", "client_ext");
    otherClientKey = dir.resolve("other-client.key");
  }

  /** Makes them in {@code dir}. */
  static TestCertificates make(Path dir) throws Exception {
    return new TestCertificates(dir);
  }

  private static final String CONFIG =
      """
      [req]
      distinguished_name = dn
      prompt = no
      [dn]
      CN = placeholder
      [ca_ext]
      basicConstraints = critical,CA:TRUE
      keyUsage = critical,keyCertSign,cRLSign
      subjectKeyIdentifier = hash
      [server_ext]
      basicConstraints = CA:FALSE
      keyUsage = critical,digitalSignature
      extendedKeyUsage = serverAuth
      subjectAltName = DNS:localhost,IP:127.0.0.1
      [other_host_ext]
      basicConstraints = CA:FALSE
      keyUsage = critical,digitalSignature
      extendedKeyUsage = serverAuth
      subjectAltName = DNS:other.example
      [client_ext]
      basicConstraints = CA:FALSE
      keyUsage = critical,digitalSignature
      extendedKeyUsage = clientAuth
      """;

  private static Path makeCa(Path dir, String name, String commonName) throws Exception {
    openssl(
        dir,
        "req",
        "-config",
        "openssl.cnf",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-subj",
        "/CN=" + commonName,
        "-extensions",
        "ca_ext");
    return dir.resolve(name + ".pem");
  }

  /** A key and a certificate for {@code name}, signed by the CA {@code caName}. */
  private static Path signed(
      Path dir, String name, String commonName, String caName, String extensions) throws Exception {
    openssl(
        dir,
        "req",
        "-config",
        "openssl.cnf",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + commonName);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        caName + ".pem",
        "-CAkey",
        caName + ".key",
        "-set_serial",
        Integer.toString(SERIAL.getAndIncrement()),
        "-days",
        "2",
        "-out",
        name + ".pem",
        "-extfile",
        "openssl.cnf",
        "-extensions",
        extensions);
    return dir.resolve(name + ".pem");
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    // openssl says little and exits; reading to EOF first cannot block on a full pipe.
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("openssl " + String.join(" ", args) + " did not finish within 60 s");
    }
    if (process.exitValue() != 0) {
      fail("openssl " + String.join(" ", args) + " failed (" + process.exitValue() + "): " + text);
    }
  }
}
