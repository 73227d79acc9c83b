package org.multiprocessing4j.internal.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.internal.wire.Authkeys;

/** The manager address and authkey a worker process received through its environment. */
final class Environment {
  final String target;
  final byte[] authkey;

  private Environment(String target, byte[] authkey) {
    this.target = target;
    this.authkey = authkey;
  }

  static Environment read() {
    String target = System.getenv(Manager.ENV_MANAGER);
    if (target == null || target.isBlank()) {
      throw new IllegalStateException(
          "environment variable "
              + Manager.ENV_MANAGER
              + " is not set: it must hold the manager's"
              + " address, e.g. localhost:50051 or unix:///run/mp4j.sock");
    }
    return new Environment(target.trim(), authkeyFromEnvironment());
  }

  /** The authkey from {@value Manager#ENV_AUTHKEY} or {@value Manager#ENV_AUTHKEY_FILE}, if set. */
  static byte[] authkeyFromEnvironment() {
    String text = System.getenv(Manager.ENV_AUTHKEY);
    if (text != null && !text.isEmpty()) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    String file = System.getenv(Manager.ENV_AUTHKEY_FILE);
    if (file != null && !file.isEmpty()) {
      return Authkeys.readFile(Path.of(file));
    }
    throw new IllegalStateException(
        "no authkey in the environment: set "
            + Manager.ENV_AUTHKEY
            + " or "
            + Manager.ENV_AUTHKEY_FILE);
  }

  static boolean hasAuthkey() {
    String text = System.getenv(Manager.ENV_AUTHKEY);
    String file = System.getenv(Manager.ENV_AUTHKEY_FILE);
    return (text != null && !text.isEmpty()) || (file != null && !file.isEmpty());
  }
}
