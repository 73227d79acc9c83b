package org.multiprocessing4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.multiprocessing4j.internal.wire.Authkeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The manager as its own process (sidecar, container, or the child of {@code Manager.start()}).
 * Prints one machine-readable line once it listens, {@code MP4J_MANAGER_LISTENING <target>}, serves
 * gRPC health checking and reflection, and shuts down gracefully on SIGTERM with exit code 0.
 *
 * <p>The authkey never appears on the command line: it comes from a file ({@code --authkey-file})
 * or an environment variable ({@code MP4J_AUTHKEY} by default, or {@code MP4J_AUTHKEY_FILE}).
 *
 * <p>Reached over a network, TCP can be TLS ({@code --tls-cert}, {@code --tls-key}) and mutual TLS
 * ({@code --tls-client-ca}); the authkey handshake still runs inside it.
 */
@Command(
    name = "manager-server",
    mixinStandardHelpOptions = true,
    version = "multiprocessing4j manager " + ManagerServer.VERSION,
    description = "Runs a multiprocessing4j manager: shared lists, maps, values, queues and locks.")
public final class ManagerMain implements Callable<Integer> {
  /** Printed (then the target) once the manager listens. */
  public static final String LISTENING_PREFIX = "MP4J_MANAGER_LISTENING ";

  // Defaults are the fields' initial values (picocli takes them as such): ChildManagerMain, which
  // parses nothing, gets the same ones.
  @Option(
      names = "--host",
      description = "Address to bind for TCP (default: loopback only). Use 0.0.0.0 in containers.")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "TCP port; 0 picks a free one.")
  int port = 0;

  @Option(names = "--unix-socket", description = "Serve on this Unix domain socket instead of TCP.")
  Path unixSocket;

  @Option(
      names = "--authkey-file",
      description = "File holding the authkey (trailing newline ignored).")
  Path authkeyFile;

  @Option(
      names = "--authkey-env",
      description = "Environment variable holding the authkey (default: ${DEFAULT-VALUE}).")
  String authkeyEnv = "MP4J_AUTHKEY";

  @Option(
      names = "--tls-cert",
      description = "Serve TCP over TLS with this certificate chain (PEM); needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      description = "The private key of --tls-cert (PEM, unencrypted PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      description =
          "Mutual TLS: clients must present a certificate signed by a CA in this PEM file.")
  Path tlsClientCa;

  @Option(
      names = "--event-loop-threads",
      description = "Network threads (default: one per four CPUs, at least one).")
  Integer eventLoopThreads;

  @Option(
      names = "--max-message-size",
      description = "Largest message in bytes (default: ${DEFAULT-VALUE}).")
  int maxMessageBytes = ManagerServer.DEFAULT_MAX_MESSAGE_BYTES;

  @Option(
      names = "--max-objects-per-session",
      description = "Most objects one client may hold proxies of (default: ${DEFAULT-VALUE}).")
  int maxObjectsPerSession = ManagerServer.DEFAULT_MAX_OBJECTS_PER_SESSION;

  @Option(
      names = "--max-bytes-per-session",
      description =
          "Most bytes of replies held for one client that is not reading them; past it its session"
              + " ends (default: twice --max-message-size).")
  Long maxBytesPerSession;

  @Option(
      names = "--lease-seconds",
      description =
          "Drop an unresponsive client's session after this many seconds (default: ${DEFAULT-VALUE}).")
  int leaseSeconds = 10;

  @Option(
      names = "--log-level",
      description = "trace, debug, info, warn or error (default: ${DEFAULT-VALUE}).")
  String logLevel = "info";

  @Option(
      names = "--exit-with-parent",
      description = "Exit when standard input closes (the parent process died).")
  boolean exitWithParent;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ManagerMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    // Before the first logger is created.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    JulToSlf4j.install(logLevel);
    byte[] authkey = readAuthkey();
    if (authkey == null) {
      System.err.println(
          "manager-server: no authkey: set "
              + authkeyEnv
              + ", MP4J_AUTHKEY_FILE, or --authkey-file");
      return 2;
    }
    ManagerServer.Builder builder =
        ManagerServer.builder()
            .authkey(authkey)
            .maxMessageBytes(maxMessageBytes)
            .maxObjectsPerSession(maxObjectsPerSession)
            .leaseTimeout(Duration.ofSeconds(leaseSeconds));
    if (unixSocket != null) {
      builder.unixSocket(unixSocket);
    } else {
      builder.tcp(host, port);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      System.err.println("manager-server: --tls-cert and --tls-key go together");
      return 2;
    }
    if (tlsClientCa != null && tlsCert == null) {
      System.err.println("manager-server: --tls-client-ca needs --tls-cert and --tls-key");
      return 2;
    }
    ManagerServer server;
    try {
      if (maxBytesPerSession != null) {
        builder.maxBytesPerSession(maxBytesPerSession);
      }
      if (tlsCert != null) {
        builder.tls(tlsCert, tlsKey);
      }
      if (tlsClientCa != null) {
        builder.clientTrust(tlsClientCa);
      }
      if (eventLoopThreads != null) {
        builder.eventLoopThreads(eventLoopThreads);
      }
      server = builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("manager-server: " + e.getMessage());
      return 2;
    }
    try {
      server.start();
    } catch (IOException e) {
      System.err.println("manager-server: cannot listen: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // SIGTERM: a graceful stop is a successful exit, not a signal death (143).
                  server.shutdown();
                  System.out.flush();
                  System.err.flush();
                  Runtime.getRuntime().halt(0);
                },
                "mp4j-manager-sigterm"));
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    out.println(LISTENING_PREFIX + server.target());
    if (exitWithParent) {
      Thread watcher = new Thread(() -> waitForEof(System.in, server), "mp4j-parent-watch");
      watcher.setDaemon(true);
      watcher.start();
    }
    server.awaitTermination();
    return 0;
  }

  private static void waitForEof(InputStream in, ManagerServer server) {
    try {
      while (in.read() >= 0) {
        // the parent writes nothing; we only wait for the pipe to close
      }
    } catch (IOException e) {
      // closed
    }
    server.shutdown();
  }

  private byte[] readAuthkey() {
    if (authkeyFile != null) {
      return Authkeys.readFile(authkeyFile);
    }
    String text = System.getenv(authkeyEnv);
    if (text != null && !text.isEmpty()) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    String file = System.getenv("MP4J_AUTHKEY_FILE");
    if (file != null && !file.isEmpty()) {
      return Authkeys.readFile(Path.of(file));
    }
    return null;
  }
}
