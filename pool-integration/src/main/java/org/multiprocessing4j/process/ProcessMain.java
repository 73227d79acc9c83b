package org.multiprocessing4j.process;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.pool.ChildJvmSupport;

/**
 * The main class of a {@link JvmProcess}'s JVM. It reads its target from standard input (length,
 * then the serialized target), runs it, and exits: 0 when it returns, 1 when it throws (after
 * printing the stack trace and leaving the exception in the failure file for the parent). A daemon
 * child then watches standard input, a pipe its parent never writes to again, and halts when it
 * closes: the parent is gone.
 *
 * <p>Arguments: the process's name, whether it is a daemon, the failure file.
 */
final class ProcessMain {
  /** Exit code of a daemon child whose parent is gone: as if terminated (128 + SIGTERM). */
  static final int EXIT_PARENT_GONE = 143;

  private static final int LINE_BUFFER_BYTES = 8192;

  private ProcessMain() {}

  public static void main(String[] args) {
    String name = args[0];
    boolean daemon = Boolean.parseBoolean(args[1]);
    Path failureFile = Path.of(args[2]);
    DataInputStream stdin = new DataInputStream(System.in);
    byte[] payload;
    try {
      payload = new byte[stdin.readInt()];
      stdin.readFully(payload);
    } catch (IOException e) {
      System.err.println("mp4j: " + name + " received no target; JvmProcess starts this class");
      System.exit(2);
      return;
    }
    System.setIn(new ByteArrayInputStream(new byte[0]));
    System.setOut(linePerWrite(FileDescriptor.out, "sun.stdout.encoding"));
    System.setErr(linePerWrite(FileDescriptor.err, "sun.stderr.encoding"));
    if (daemon) {
      ChildJvmSupport.haltWhenParentGone(stdin, EXIT_PARENT_GONE, "mp4j-process-parent-watch");
    }
    ProcessTarget target;
    try {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      target =
          (ProcessTarget)
              ChildJvmSupport.deserialize(
                  payload, context != null ? context : ProcessMain.class.getClassLoader());
    } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
      fail(
          name,
          failureFile,
          new JvmProcessException(
              "pid "
                  + ProcessHandle.current().pid()
                  + " could not deserialize the target of "
                  + name
                  + ": "
                  + e
                  + managerHint(e),
              e));
      return;
    }
    try {
      target.run();
    } catch (Throwable t) {
      fail(name, failureFile, t);
      return;
    }
    exit(0);
  }

  /**
   * A stream that writes each line it prints (up to its buffer) with one system call: the JVM's own
   * writes a line in pieces once it is longer than 128 bytes, and lines of processes that share a
   * terminal or pipe would then interleave.
   */
  private static PrintStream linePerWrite(FileDescriptor fd, String encodingProperty) {
    String encoding = System.getProperty(encodingProperty);
    Charset charset;
    try {
      charset = encoding != null ? Charset.forName(encoding) : Charset.defaultCharset();
    } catch (IllegalArgumentException e) {
      charset = Charset.defaultCharset();
    }
    return new PrintStream(
        new BufferedOutputStream(new FileOutputStream(fd), LINE_BUFFER_BYTES), true, charset);
  }

  /** Python prints "Process <name>:" and the traceback, and exits with 1. */
  private static void fail(String name, Path failureFile, Throwable t) {
    System.err.println("Process " + name + ":");
    t.printStackTrace();
    try {
      Files.write(
          failureFile,
          ChildJvmSupport.encodeFailure(t),
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // The parent still gets exit code 1 and the stack trace above.
    }
    exit(1);
  }

  private static void exit(int status) {
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /** The usual reason a captured proxy cannot reconnect: the process was given no manager. */
  private static String managerHint(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ManagerException managerException
          && managerException.code() == ManagerException.Code.AUTHENTICATION_FAILED
          && System.getenv(Manager.ENV_MANAGER) == null) {
        return " (a target that uses shared objects needs JvmProcess.of(manager, target))";
      }
    }
    return "";
  }
}
