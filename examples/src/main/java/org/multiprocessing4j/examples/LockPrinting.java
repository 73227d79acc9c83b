package org.multiprocessing4j.examples;

import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.process.JvmProcess;

/**
 * The seed's lock example, line for line: processes share one terminal, and a lock makes each one's
 * "running" and "done" lines come out together instead of interleaved. The lock serializes the
 * processes, as in Python: slower, but nothing is mixed up.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.LockPrinting}
 */
public final class LockPrinting {
  private LockPrinting() {}

  static void work(SharedLock lock) throws InterruptedException {
    long pid = ProcessHandle.current().pid();
    lock.lock(); // Python: lock.acquire()
    try {
      System.out.println(pid + " is running");
      Thread.sleep(100);
      System.out.println(pid + " is done");
    } finally {
      lock.unlock(); // Python: lock.release()
    }
  }

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      SharedLock lock = m.lock();
      JvmProcess[] workers = new JvmProcess[3];
      for (int i = 0; i < workers.length; i++) {
        workers[i] = JvmProcess.of(m, () -> work(lock));
        workers[i].start();
      }
      for (JvmProcess worker : workers) {
        worker.join();
      }
    }
  }
}
