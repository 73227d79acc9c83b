package org.multiprocessing4j.internal.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * How authkeys travel outside the wire: as text in an environment variable or a file, whose UTF-8
 * bytes are the key. Thread-safe: stateless.
 */
public final class Authkeys {
  private Authkeys() {}

  /** A random key as text: 32 random bytes, base64url without padding (43 characters). */
  public static String newRandomText() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Handshake.newNonce());
  }

  /** A key file's bytes, without one trailing newline (so {@code echo secret > key} works). */
  public static byte[] readFile(Path path) {
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8);
      if (text.endsWith("\n")) {
        text = text.substring(0, text.length() - 1);
      }
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      if (text.isEmpty()) {
        throw new IllegalArgumentException("the authkey file " + path + " is empty");
      }
      return text.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the authkey file " + path, e);
    }
  }
}
