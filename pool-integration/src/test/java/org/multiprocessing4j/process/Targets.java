package org.multiprocessing4j.process;

import java.io.IOException;
import org.multiprocessing4j.SharedEvent;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;

/** What the tests' child processes run. */
final class Targets {
  private Targets() {}

  static void throwIllegalArgument() {
    throw new IllegalArgumentException("bad amount 42");
  }

  static void throwIo() throws IOException {
    throw new IOException("disk on fire");
  }

  static void printLines() {
    System.out.println("line 1");
    System.err.println("to stderr");
    System.out.println("line 2");
    System.out.print("line 3 (no newline)");
  }

  static void signalThenSleep(SharedEvent running) throws InterruptedException {
    running.set();
    Thread.sleep(Long.MAX_VALUE);
  }

  static void lockThenSleep(SharedLock lock, SharedEvent locked) throws InterruptedException {
    lock.lock();
    locked.set();
    Thread.sleep(Long.MAX_VALUE);
  }

  static void appendUnderLock(SharedLock lock, SharedList<String> log, String item) {
    lock.lock();
    try {
      log.add(item);
    } finally {
      lock.unlock();
    }
  }
}
