package org.multiprocessing4j.process;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Python's exit handling for the processes this JVM started and has not joined: when the JVM exits
 * (its {@code main} returned, {@code System.exit}, SIGTERM or Ctrl-C), daemon children are
 * terminated and non-daemon children are waited for. Also keeps those children referenced, so that
 * a daemon child's lifeline is not closed by the garbage collector. Thread-safe.
 */
final class ExitHook {
  private static final Set<ChildJvm> UNJOINED = ConcurrentHashMap.newKeySet();
  private static final Object INSTALL_LOCK = new Object();

  @GuardedBy("INSTALL_LOCK")
  private static boolean installed;

  private ExitHook() {}

  static void register(ChildJvm child) {
    synchronized (INSTALL_LOCK) {
      if (!installed) {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitHook::atExit, "mp4j-process-exit"));
        installed = true;
      }
    }
    UNJOINED.add(child);
  }

  static void unregister(ChildJvm child) {
    UNJOINED.remove(child);
  }

  private static void atExit() {
    List<ChildJvm> children = new ArrayList<>(UNJOINED);
    // Daemons first, so that a non-daemon child waiting on one does not wait in vain.
    for (ChildJvm child : children) {
      if (child.isDaemon()) {
        child.atParentExit();
      }
    }
    for (ChildJvm child : children) {
      if (!child.isDaemon()) {
        child.atParentExit();
      }
    }
  }
}
