package org.multiprocessing4j.server;

import java.nio.file.Path;

/**
 * The main class of the manager JVM that {@code Manager.start()} launches: {@link ManagerMain} with
 * its defaults, told where to listen by arguments that {@code ChildManagerProcess} writes, never a
 * person: {@code tcp HOST PORT} or {@code unix PATH}. The authkey is in {@code MP4J_AUTHKEY}; the
 * manager exits when its standard input (the parent) closes.
 *
 * <p>Why not {@link ManagerMain} itself: picocli's classes are Java 5 class files, which a class
 * data archive cannot hold, so parsing a command line with it cost every start about 130 ms (about
 * a fifth of {@code Manager.start()}) of loading, verifying and reflecting. People and scripts use
 * {@link ManagerMain}.
 */
final class ChildManagerMain {
  private ChildManagerMain() {}

  public static void main(String[] args) {
    ManagerMain manager = new ManagerMain();
    try {
      if (args.length == 3 && args[0].equals("tcp")) {
        manager.host = args[1];
        manager.port = Integer.parseInt(args[2]);
      } else if (args.length == 2 && args[0].equals("unix")) {
        manager.unixSocket = Path.of(args[1]);
      } else {
        throw new IllegalArgumentException("not a command line of Manager.start()");
      }
    } catch (IllegalArgumentException e) { // NumberFormatException and InvalidPathException too
      System.err.println(
          "ChildManagerMain is started by Manager.start() with 'tcp HOST PORT' or 'unix PATH';"
              + " to run a manager yourself, use "
              + ManagerMain.class.getName()
              + " (--help)");
      System.exit(2);
    }
    manager.exitWithParent = true;
    int status;
    try {
      status = manager.call();
    } catch (Exception | Error e) {
      e.printStackTrace(); // on the parent's standard error, which this JVM inherits
      status = 1;
    }
    System.exit(status); // also when the server's threads are still up, after a failure
  }
}
