package org.multiprocessing4j.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;

/**
 * The main class of a worker JVM. It connects back to the parent's {@link PoolSocket}, runs the
 * initializer, then runs one task at a time on its main thread until told to exit. It exits at once
 * when its standard input (a pipe from the parent) or its connection closes, so it never outlives
 * the parent, whatever killed the parent.
 *
 * <p>Arguments: the parent's socket address and this worker's id; the token is in {@value
 * Wire#ENV_TOKEN}.
 */
final class WorkerMain {
  /** Exit code when the worker itself fails (an uncaught error in a worker thread). */
  static final int EXIT_INTERNAL_ERROR = 70;

  private final DataOutputStream out;
  private final Thread taskThread;
  private final ClassLoader loader = WorkerMain.class.getClassLoader();
  private final Object stateLock = new Object();

  @GuardedBy("stateLock")
  private long currentTask = -1;

  // received and not started yet
  @GuardedBy("stateLock")
  private final Set<Long> queuedTasks = new HashSet<>();

  @GuardedBy("stateLock")
  private final Set<Long> cancelledTasks = new HashSet<>();

  // Results that reference shared objects, kept referenced until the parent has read them (and so
  // taken its own references): otherwise the manager could free the objects in between.
  private final Map<Long, Object> heldResults = new ConcurrentHashMap<>();

  private WorkerMain(DataOutputStream out, Thread taskThread) {
    this.out = out;
    this.taskThread = taskThread;
  }

  public static void main(String[] args) throws Exception {
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          System.err.println("mp4j pool worker: uncaught error in " + thread.getName());
          e.printStackTrace();
          halt(EXIT_INTERNAL_ERROR);
        });
    ChildJvmSupport.haltWhenParentGone(System.in, 0, "mp4j-pool-parent-watch");
    String address = args[0];
    long workerId = Long.parseLong(args[1]);
    String token = System.getenv(Wire.ENV_TOKEN);
    if (token == null) {
      System.err.println(
          "mp4j pool worker: no " + Wire.ENV_TOKEN + "; workers are started by ProcessPool");
      System.exit(2);
    }
    PoolSocket.Connection connection = PoolSocket.connect(address);
    DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(connection.out, 64 * 1024));
    out.writeInt(Wire.MAGIC);
    out.writeLong(workerId);
    out.write(HexFormat.of().parseHex(token));
    out.flush();
    new WorkerMain(out, Thread.currentThread()).serve(connection.in);
  }

  private static void halt(int status) {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }

  private void serve(DataInputStream in) throws IOException, InterruptedException {
    Wire.Frame init = Wire.read(in);
    if (init.kind != FrameKind.INIT) {
      throw new IOException("expected INIT, got frame kind " + init.kind);
    }
    try {
      if (init.payload.length > 0) {
        ((Runnable) Wire.deserialize(init.payload, loader)).run();
      }
    } catch (Throwable t) {
      send(FrameKind.INIT_FAILED, 0, Wire.serialize(RemoteFailure.of(t)));
      halt(1);
    }
    send(FrameKind.READY, 0, new byte[0]);

    // The socket is read on its own thread so that a CANCEL reaches a running task.
    BlockingQueue<Wire.Frame> tasks = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readFrames(in, tasks), "mp4j-pool-worker-reader");
    reader.setDaemon(true);
    reader.start();
    while (true) {
      Wire.Frame frame = tasks.take();
      if (frame.kind == FrameKind.EXIT) {
        System.out.flush();
        System.err.flush();
        send(FrameKind.BYE, 0, new byte[0]);
        halt(0); // unless the parent's kill comes first
      }
      runTask(frame);
    }
  }

  private void readFrames(DataInputStream in, BlockingQueue<Wire.Frame> tasks) {
    try {
      while (true) {
        Wire.Frame frame = Wire.read(in);
        if (frame.kind == FrameKind.CANCEL) {
          cancel(frame.id, frame.payload.length > 0 && frame.payload[0] == 1);
        } else if (frame.kind == FrameKind.RELEASE) {
          heldResults.remove(frame.id);
        } else {
          if (frame.kind == FrameKind.TASK) {
            synchronized (stateLock) {
              queuedTasks.add(frame.id);
            }
          }
          tasks.add(frame);
        }
      }
    } catch (IOException e) {
      // The parent closed the connection: the pool was terminated, or the parent died.
      halt(0);
    }
  }

  private void cancel(long id, boolean interrupt) {
    synchronized (stateLock) {
      if (queuedTasks.contains(id)) {
        cancelledTasks.add(id); // it will not run
      } else if (interrupt && currentTask == id) {
        taskThread.interrupt();
      }
    }
  }

  /** Runs one task and sends its outcome. */
  private void runTask(Wire.Frame frame) throws IOException {
    boolean cancelled;
    synchronized (stateLock) {
      queuedTasks.remove(frame.id);
      cancelled = cancelledTasks.remove(frame.id);
      if (!cancelled) {
        currentTask = frame.id; // from here on, a cancel interrupts it
      }
    }
    if (cancelled) {
      // The parent no longer wants it, but every task gets an answer, in order.
      fail(frame.id, new CancellationException("cancelled before it started"));
      return;
    }
    Object work;
    try {
      work = Wire.deserialize(frame.payload, loader);
    } catch (IOException | ClassNotFoundException | RuntimeException | LinkageError e) {
      endTask();
      fail(
          frame.id,
          new TaskSerializationException(
              "worker pid "
                  + ProcessHandle.current().pid()
                  + " could not deserialize the task: "
                  + e
                  + managerHint(e),
              e));
      return;
    }
    Object result;
    try {
      result = ((Work) work).run();
    } catch (Throwable t) {
      endTask();
      fail(frame.id, t);
      return;
    }
    endTask();
    Wire.ReferenceDetectingSerializer serializer = new Wire.ReferenceDetectingSerializer();
    byte[] bytes;
    try {
      bytes = serializer.serialize(result);
    } catch (IOException | RuntimeException e) {
      fail(
          frame.id,
          new TaskSerializationException(
              "the task's result could not be sent back: " + describe(result) + ": " + e, e));
      return;
    } catch (OutOfMemoryError e) {
      fail(frame.id, e);
      return;
    }
    if (serializer.sawReference) {
      heldResults.put(frame.id, result);
      send(FrameKind.RESULT_HOLDING, frame.id, bytes);
    } else {
      send(FrameKind.RESULT, frame.id, bytes);
    }
  }

  private void endTask() {
    synchronized (stateLock) {
      currentTask = -1;
      Thread.interrupted(); // an interrupt meant for this task must not hit the next one
    }
  }

  private void fail(long id, Throwable t) throws IOException {
    // After running out of memory the JVM may be damaged: report the error, then leave the
    // replacement to the parent. Stack overflows unwind cleanly and need no new JVM.
    boolean retire = t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
    byte[] payload;
    try {
      payload = Wire.serialize(RemoteFailure.of(t));
    } catch (IOException | RuntimeException e) {
      payload =
          Wire.serialize(
              RemoteFailure.of(
                  new ProcessPoolException(
                      "the task failed with " + t + "; sending that failed: " + e)));
    }
    send(retire ? FrameKind.FAILED_RETIRING : FrameKind.FAILED, id, payload);
    if (retire) {
      halt(3);
    }
  }

  /** The usual reason a shared object in a task cannot reconnect: the pool has no manager. */
  private static String managerHint(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ManagerException
          && ((ManagerException) t).code() == ManagerException.Code.AUTHENTICATION_FAILED
          && System.getenv(Manager.ENV_MANAGER) == null) {
        return " (a task that uses shared objects needs a pool built with"
            + " ProcessPool.builder().manager(m))";
      }
    }
    return "";
  }

  private static String describe(Object value) {
    String text;
    try {
      text = String.valueOf(value);
    } catch (RuntimeException e) {
      text = "?";
    }
    if (text.length() > 200) {
      text = text.substring(0, 200) + "...";
    }
    return "'" + text + "' (" + (value == null ? "null" : value.getClass().getName()) + ")";
  }

  private void send(FrameKind kind, long id, byte[] payload) throws IOException {
    synchronized (out) {
      Wire.write(out, kind, id, payload);
    }
  }
}
