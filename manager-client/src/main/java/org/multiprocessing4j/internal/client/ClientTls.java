package org.multiprocessing4j.internal.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.NotSslRecordException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.spi.ManagerSettings;

/**
 * How a client reaches a manager over TLS: the certificates it trusts for the manager (null: the
 * JDK's default trust store) and, for mutual TLS, its own certificate chain and key. Immutable.
 */
final class ClientTls {
  final Path trustedServerCerts;
  final Path certChain;
  final Path privateKey;

  ClientTls(Path trustedServerCerts, Path certChain, Path privateKey) {
    this.trustedServerCerts = trustedServerCerts;
    this.certChain = certChain;
    this.privateKey = privateKey;
  }

  /**
   * From {@value Manager#ENV_TLS_CA}, {@value Manager#ENV_TLS_CERT} and {@value
   * Manager#ENV_TLS_KEY}, or null when none is set (plaintext).
   */
  static ClientTls fromEnvironment() {
    String ca = env(Manager.ENV_TLS_CA);
    String cert = env(Manager.ENV_TLS_CERT);
    String key = env(Manager.ENV_TLS_KEY);
    if (ca == null && cert == null && key == null) {
      return null;
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalStateException(
          "environment variables "
              + Manager.ENV_TLS_CERT
              + " and "
              + Manager.ENV_TLS_KEY
              + " go together (a client certificate and its key)");
    }
    return new ClientTls(
        ca == null
            ? null
            : readable(Path.of(ca), "trusted server certificates (" + Manager.ENV_TLS_CA + ")"),
        cert == null
            ? null
            : readable(Path.of(cert), "client certificate (" + Manager.ENV_TLS_CERT + ")"),
        key == null
            ? null
            : readable(Path.of(key), "client private key (" + Manager.ENV_TLS_KEY + ")"));
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** From the builder's settings, or null for plaintext. */
  static ClientTls of(ManagerSettings.Tls settings) {
    return settings == null
        ? null
        : new ClientTls(settings.trustedServerCerts(), settings.certChain(), settings.privateKey());
  }

  /** As builder settings. */
  ManagerSettings.Tls settings() {
    return new ManagerSettings.Tls(trustedServerCerts, certChain, privateKey);
  }

  static Path readable(Path path, String what) {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException("cannot read the " + what + " " + path.toAbsolutePath());
    }
    return path.toAbsolutePath();
  }

  /** What a worker needs in its environment to connect the same way. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (trustedServerCerts != null) {
      env.put(Manager.ENV_TLS_CA, trustedServerCerts.toString());
    }
    if (certChain != null) {
      env.put(Manager.ENV_TLS_CERT, certChain.toString());
      env.put(Manager.ENV_TLS_KEY, privateKey.toString());
    }
    return env;
  }

  SslContext sslContext() {
    try {
      SslContextBuilder ssl = GrpcSslContexts.forClient();
      if (trustedServerCerts != null) {
        ssl.trustManager(trustedServerCerts.toFile());
      }
      if (certChain != null) {
        ssl.keyManager(certChain.toFile(), privateKey.toFile());
      }
      return ssl.build();
    } catch (IOException | RuntimeException e) {
      // Netty reports a bad PEM as SSLException or IllegalArgumentException; name the files.
      throw new IllegalArgumentException(
          "cannot load the TLS files ("
              + this
              + "; PEM, the key unencrypted PKCS#8): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Says what went wrong if {@code failure} is a TLS failure, or returns null. gRPC reports them
   * all as "UNAVAILABLE: io exception" or "ssl exception"; the reason is deep in the causes.
   */
  static String describeFailure(String target, Throwable failure) {
    boolean tls = false;
    boolean notTls = false;
    String reason = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      tls |= t instanceof SSLException;
      // Netty's engines say so with NotSslRecordException, the JDK's with "Unrecognized SSL
      // message, plaintext connection?" (its SSLSocket: "Unsupported or unrecognized ...").
      notTls |=
          t instanceof NotSslRecordException
              || (t instanceof SSLException
                  && String.valueOf(t.getMessage()).contains("nrecognized SSL message"));
      if (tls && t.getMessage() != null) {
        reason = t.getMessage();
      }
    }
    if (!tls) {
      return null;
    }
    if (notTls) {
      return "the manager at "
          + target
          + " does not answer in TLS (it may serve plaintext on that port): connect without"
          + " tls(...), or to the port where it serves TLS";
    }
    // An alert is the manager's verdict (mutual TLS); anything else is this side's check failing.
    if (reason != null && reason.toLowerCase(Locale.ROOT).contains("alert")) {
      return "the manager at "
          + target
          + " refused the TLS handshake ("
          + reason
          + "): if it"
          + " requires client certificates, set tlsClientCertificate(...) to one signed by a CA it"
          + " trusts";
    }
    return "TLS with the manager at "
        + target
        + " failed ("
        + reason
        + "): tls(...) must hold the"
        + " CA that signed the manager's certificate, and that certificate must name the host"
        + " dialled";
  }

  /**
   * A plaintext connection the manager closed unanswered, as a TLS manager does: says so. Other
   * failures are returned as they are.
   */
  static ManagerUnavailableException hintIfTlsExpected(
      String target, ManagerUnavailableException e) {
    if (target.startsWith("unix://") || target.startsWith("inprocess:")) {
      return e;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException) {
        Status status = ((StatusRuntimeException) t).getStatus();
        if (status.getCode() == Status.Code.UNAVAILABLE && t.getCause() == null) {
          return new ManagerUnavailableException(
              e.getMessage()
                  + "; the manager closed the connection unanswered: if it serves TLS,"
                  + " connect with Manager.builder().tls(caPem)",
              e);
        }
        return e;
      }
    }
    return e;
  }

  @Override
  public String toString() {
    return "trusted server certificates "
        + (trustedServerCerts == null ? "from the JDK" : trustedServerCerts)
        + (certChain == null ? "" : ", client certificate " + certChain + ", key " + privateKey);
  }
}
