package org.multiprocessing4j.spi;

import java.nio.file.Path;
import java.util.List;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ValueCodec;

/**
 * What a {@link Manager.Builder} was told, handed to a {@link ManagerClientProvider}. Immutable:
 * the lists are copies and {@link #authkey()} returns a copy.
 *
 * @param hosting where {@code start()} hosts the manager
 * @param authkey the authkey, or null when none was set ({@code start()} then makes a random one)
 * @param bindTarget where a started manager listens ({@code host:port}, {@code unix:///path} or
 *     {@code inprocess:name}), or null for loopback TCP on a free port
 * @param jvmOptions extra JVM options for a manager started in a child JVM
 * @param codecs codecs for user value types
 * @param serializablePatterns {@link java.io.ObjectInputFilter} patterns of classes allowed to
 *     travel by Java serialization
 * @param clientName the name shown in the manager's logs, or null for a default
 * @param maxMessageBytes the largest message sent or accepted
 * @param tls TLS for {@code connect}, or null for plaintext
 */
@SuppressWarnings("ArrayRecordComponent") // the authkey: copied in and out, compared by content
public record ManagerSettings(
    Hosting hosting,
    byte[] authkey,
    String bindTarget,
    List<String> jvmOptions,
    List<ValueCodec<?>> codecs,
    List<String> serializablePatterns,
    String clientName,
    int maxMessageBytes,
    Tls tls) {

  /** Where {@code Manager.Builder.start()} hosts the manager. */
  public enum Hosting {
    /** A child JVM that dies with this one (the default). */
    CHILD_PROCESS,
    /** Inside this JVM, through a {@link ManagerHostProvider}. */
    IN_PROCESS
  }

  /**
   * TLS files (PEM) for a client connection.
   *
   * @param trustedServerCerts certificates trusted for the manager, or null for the JDK's default
   *     trust store
   * @param certChain the client certificate chain for mutual TLS, or null
   * @param privateKey the client's private key (PKCS#8) for mutual TLS, or null
   */
  public record Tls(Path trustedServerCerts, Path certChain, Path privateKey) {}

  /** The largest message by default: 64 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** What {@code Manager.builder()} starts with: a child JVM, no authkey, plaintext. */
  public static ManagerSettings defaults() {
    return new ManagerSettings(
        Hosting.CHILD_PROCESS,
        null,
        null,
        List.of(),
        List.of(),
        List.of(),
        null,
        DEFAULT_MAX_MESSAGE_BYTES,
        null);
  }

  public ManagerSettings {
    authkey = authkey == null ? null : authkey.clone();
    jvmOptions = List.copyOf(jvmOptions);
    codecs = List.copyOf(codecs);
    serializablePatterns = List.copyOf(serializablePatterns);
  }

  /** A copy of the authkey, or null when none was set. */
  @Override
  public byte[] authkey() {
    return authkey == null ? null : authkey.clone();
  }

  /** These settings with {@code newAuthkey}. */
  public ManagerSettings withAuthkey(byte[] newAuthkey) {
    return new ManagerSettings(
        hosting,
        newAuthkey,
        bindTarget,
        jvmOptions,
        codecs,
        serializablePatterns,
        clientName,
        maxMessageBytes,
        tls);
  }

  /** These settings with {@code newTls} (null: plaintext). */
  public ManagerSettings withTls(Tls newTls) {
    return new ManagerSettings(
        hosting,
        authkey,
        bindTarget,
        jvmOptions,
        codecs,
        serializablePatterns,
        clientName,
        maxMessageBytes,
        newTls);
  }

  // A record with an array component: equality and text by the key's content, never its bytes.
  @Override
  public boolean equals(Object other) {
    return other instanceof ManagerSettings s
        && hosting == s.hosting
        && java.util.Arrays.equals(authkey, s.authkey)
        && java.util.Objects.equals(bindTarget, s.bindTarget)
        && jvmOptions.equals(s.jvmOptions)
        && codecs.equals(s.codecs)
        && serializablePatterns.equals(s.serializablePatterns)
        && java.util.Objects.equals(clientName, s.clientName)
        && maxMessageBytes == s.maxMessageBytes
        && java.util.Objects.equals(tls, s.tls);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        hosting,
        java.util.Arrays.hashCode(authkey),
        bindTarget,
        jvmOptions,
        codecs,
        serializablePatterns,
        clientName,
        maxMessageBytes,
        tls);
  }

  @Override
  public String toString() {
    return "ManagerSettings[hosting="
        + hosting
        + ", authkey="
        + (authkey == null ? "none" : "set")
        + ", bindTarget="
        + bindTarget
        + ", jvmOptions="
        + jvmOptions
        + ", codecs="
        + codecs.size()
        + ", serializablePatterns="
        + serializablePatterns
        + ", clientName="
        + clientName
        + ", maxMessageBytes="
        + maxMessageBytes
        + ", tls="
        + tls
        + "]";
  }
}
