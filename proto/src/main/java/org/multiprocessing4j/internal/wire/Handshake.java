package org.multiprocessing4j.internal.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mutual HMAC-SHA256 challenge both ends of a session perform (Python 3.12+'s scheme, made
 * mutual inside one exchange). Each side proves it holds the authkey by MACing both nonces under a
 * role label, so a digest from one role or one session cannot be replayed as another.
 *
 * <p>Thread-safe: stateless.
 */
public final class Handshake {
  /** Version of the session protocol in {@code Hello.protocol_version}. */
  public static final int PROTOCOL_VERSION = 1;

  /** Length of each nonce in bytes. */
  public static final int NONCE_BYTES = 32;

  private static final byte[] CLIENT_LABEL = "mp4j-client".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_LABEL = "mp4j-server".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Handshake() {}

  /** A fresh random nonce. */
  public static byte[] newNonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** A fresh random authkey of 32 bytes, as Python's {@code os.urandom(32)}. */
  public static byte[] newAuthkey() {
    return newNonce();
  }

  /** The client's proof: HMAC(key, "mp4j-client" || serverNonce || clientNonce). */
  public static byte[] clientDigest(byte[] authkey, byte[] serverNonce, byte[] clientNonce) {
    return hmac(authkey, CLIENT_LABEL, serverNonce, clientNonce);
  }

  /** The manager's proof: HMAC(key, "mp4j-server" || clientNonce || serverNonce). */
  public static byte[] serverDigest(byte[] authkey, byte[] clientNonce, byte[] serverNonce) {
    return hmac(authkey, SERVER_LABEL, clientNonce, serverNonce);
  }

  /** Constant-time comparison of digests. */
  public static boolean digestsEqual(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private static byte[] hmac(byte[] key, byte[] label, byte[] first, byte[] second) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // An empty key is legal for HMAC but not for SecretKeySpec: map it to a single zero byte,
      // which HMAC pads to the same block anyway.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      mac.update(label);
      mac.update(first);
      mac.update(second);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
    }
  }
}
