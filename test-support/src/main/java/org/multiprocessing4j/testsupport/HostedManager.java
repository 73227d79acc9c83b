package org.multiprocessing4j.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.multiprocessing4j.Manager;

/**
 * A manager started for a test in one {@link ManagerTier}, and further client sessions to it: to
 * the manager each session is another process (ownership, release at session end). Closing it
 * closes those sessions, then the manager.
 *
 * <p>Thread-safe: sessions may be opened from any thread.
 */
public final class HostedManager implements AutoCloseable {
  private final ManagerTier tier;
  private final Manager manager;
  private final byte[] authkey;
  private final Path socketDirectory; // null unless a Unix socket's
  private final List<Manager> sessions = new CopyOnWriteArrayList<>();

  HostedManager(ManagerTier tier, Manager manager, byte[] authkey, Path socketDirectory) {
    this.tier = tier;
    this.manager = manager;
    this.authkey = authkey.clone();
    this.socketDirectory = socketDirectory;
  }

  /** Where the manager runs. */
  public ManagerTier tier() {
    return tier;
  }

  /** The first client session, the one the manager was started with. */
  public Manager manager() {
    return manager;
  }

  /** Where clients connect. */
  public String target() {
    return manager.target();
  }

  /** The authkey (a copy). */
  public byte[] authkey() {
    return authkey.clone();
  }

  /** A new client session to the same manager, closed with this. */
  public Manager connect() {
    Manager session = Manager.connect(manager.target(), authkey);
    sessions.add(session);
    return session;
  }

  @Override
  public void close() {
    sessions.forEach(Manager::close);
    manager.close(); // it started the manager: this stops it
    if (socketDirectory != null) {
      try (var files = Files.list(socketDirectory)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(file);
        }
        Files.deleteIfExists(socketDirectory);
      } catch (IOException e) {
        // a leftover temporary directory: harmless
      }
    }
  }

  @Override
  public String toString() {
    return "HostedManager[" + tier + " " + target() + "]";
  }
}
