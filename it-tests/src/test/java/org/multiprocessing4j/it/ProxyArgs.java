package org.multiprocessing4j.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Base64;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedObject;

/**
 * Hands proxies to worker JVMs on their command line: a proxy serializes as a reference (manager
 * target, object id), and deserializing it in the worker reconnects there (through the worker's
 * open {@code Manager}, or the one its environment names).
 */
final class ProxyArgs {
  private ProxyArgs() {}

  static String encode(SharedObject proxy) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject((Serializable) proxy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getUrlEncoder().encodeToString(bytes.toByteArray());
  }

  /**
   * The proxy {@link #encode} wrote, reconnected through {@code worker}'s manager; the caller names
   * its type (a proxy knows no type arguments).
   */
  // each worker names the proxy type it expects
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  static <T> T decode(Manager worker, String arg) {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(arg)))) {
      SharedObject proxy = (SharedObject) in.readObject();
      if (!proxy.managerTarget().equals(worker.target())) {
        throw new IllegalStateException(
            "a proxy of " + proxy.managerTarget() + " given to a worker of " + worker.target());
      }
      return (T) proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
