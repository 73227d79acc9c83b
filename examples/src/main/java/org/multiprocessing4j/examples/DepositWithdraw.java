package org.multiprocessing4j.examples;

import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedArray;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.process.JvmProcess;

/**
 * The seed's deposit/withdraw, line for line: one process deposits ten random amounts into a shared
 * balance of 1000, another withdraws ten, each holding the balance's lock for its whole loop; then
 * one process writes a shared array under its lock and another reads it.
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.DepositWithdraw}
 */
public final class DepositWithdraw {
  private DepositWithdraw() {}

  static void saveMoney(SharedValue<Integer> money) throws InterruptedException {
    SharedLock lock = money.getLock();
    lock.lock(); // Python: money.acquire()
    try {
      for (int i = 0; i < 10; i++) {
        Thread.sleep(30); // Python: time.sleep(0.3)
        int change = ThreadLocalRandom.current().nextInt(1, 201); // random.randint(1, 200)
        money.set(money.get() + change); // money.value += change: safe under the lock
        System.out.println("  " + money.get() + " " + change);
      }
    } finally {
      lock.unlock(); // Python: money.release()
    }
  }

  static void takeMoney(SharedValue<Integer> money) throws InterruptedException {
    SharedLock lock = money.getLock();
    lock.lock();
    try {
      for (int i = 0; i < 10; i++) {
        Thread.sleep(50); // Python: time.sleep(0.5)
        int change = ThreadLocalRandom.current().nextInt(1, 151); // random.randint(1, 150)
        money.set(money.get() - change); // money.value -= change
        System.out.println("  " + money.get() + "   " + -change);
      }
    } finally {
      lock.unlock();
    }
  }

  static void saveMoney2(SharedArray<Integer> m) {
    m.getLock().lock(); // Python: m.acquire()
    try {
      m.set(2, 8);
      System.out.println(m.toList()); // Python: print [i for i in m]
    } finally {
      m.getLock().unlock(); // Python: m.release()
    }
  }

  static void takeMoney2(SharedArray<Integer> m) {
    m.getLock().lock();
    try {
      System.out.println(m.toList());
    } finally {
      m.getLock().unlock();
    }
  }

  public static void main(String[] args) throws Exception {
    try (Manager manager = Manager.start()) {
      SharedArray<Integer> m =
          manager.array(new int[] {1, 2, 3, 4, 5}); // Array('i', [1, 2, 3, 4, 5])
      SharedValue<Integer> money = manager.value(1000); // Python: Value('i', 1000)
      JvmProcess d = JvmProcess.of(manager, () -> saveMoney(money));
      d.start();
      JvmProcess w = JvmProcess.of(manager, () -> takeMoney(money));
      w.start();
      d.join();
      w.join();
      JvmProcess save2 = JvmProcess.of(manager, () -> saveMoney2(m)).start();
      JvmProcess take2 = JvmProcess.of(manager, () -> takeMoney2(m)).start();
      System.out.println("end");
      // Python's children outlive main's last line and are joined at exit; the manager closes at
      // the end of this block, so they are joined here.
      save2.join();
      take2.join();
    }
  }
}
