package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerStats;
import org.multiprocessing4j.SharedArray;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.process.JvmProcess;

/**
 * The README's demo: the seed articles' shared-state examples on a manager in a child JVM, with
 * processes that are real JVMs ({@link JvmProcess}).
 *
 * <ul>
 *   <li>deposit/withdraw: one process deposits and one withdraws ten random amounts from a shared
 *       balance, each step under the balance's lock; the final balance is checked against the
 *       ledger both processes wrote;
 *   <li>a shared int array squared in place by a worker ({@code a[i] = i * i});
 *   <li>four processes appending to one shared list;
 *   <li>a dict, and what it all cost ({@code stats()}).
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl examples exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.examples.SeedDemo}
 */
public final class SeedDemo {
  private static final int START_BALANCE = 1000;

  private SeedDemo() {}

  public static void main(String[] args) throws Exception {
    try (Manager m = Manager.start()) {
      System.out.println("manager started at " + m.target());

      // 1. deposit / withdraw under the value's lock
      SharedValue<Integer> balance = m.value(START_BALANCE);
      SharedList<Integer> ledger = m.list();
      JvmProcess saver = JvmProcess.of(m, () -> deposit(balance, ledger, 1)).start();
      JvmProcess spender = JvmProcess.of(m, () -> deposit(balance, ledger, -1)).start();
      saver.join();
      spender.join();
      int expected = START_BALANCE + ledger.copy().stream().mapToInt(Integer::intValue).sum();
      int actual = balance.get();
      System.out.println("balance " + actual + ", expected " + expected);
      check(actual == expected, "the balance does not match the ledger");

      // 2. an array squared in place by another process
      SharedArray<Integer> array = m.array(new int[10]);
      JvmProcess.of(m, () -> square(array)).start().join();
      System.out.println("array " + array.toList());
      for (int i = 0; i < 10; i++) {
        check(array.get(i) == i * i, "array[" + i + "] is not " + i * i);
      }

      // 3. four processes append to one list
      SharedList<Integer> list = m.list();
      List<JvmProcess> appenders = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        int first = p * 10;
        appenders.add(JvmProcess.of(m, () -> append(list, first)).start());
      }
      for (JvmProcess appender : appenders) {
        appender.join();
        check(appender.exitCode().equals(OptionalInt.of(0)), appender + " failed");
      }
      List<Integer> sorted = new ArrayList<>(list.copy());
      sorted.sort(null);
      System.out.println("list " + sorted);
      check(sorted.size() == 40, "the list should hold 40 items");

      // 4. a dict, with an atomic merge
      SharedMap<String, Integer> counts = m.dict();
      for (int x : sorted) {
        counts.merge(x % 2 == 0 ? "even" : "odd", 1, Integer::sum);
      }
      System.out.println("dict " + counts);

      // 5. what it cost
      ManagerStats stats = m.stats();
      System.out.println(
          "this process: "
              + stats.roundTrips()
              + " round trips, "
              + stats.bytesSent()
              + " bytes sent, "
              + stats.bytesReceived()
              + " received; the manager holds "
              + stats.objectCount()
              + " objects "
              + stats.objectsByType());
      System.out.println("SeedDemo OK");
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }

  /** One process's ten deposits (sign +1) or withdrawals (sign -1), each under the lock. */
  static void deposit(SharedValue<Integer> balance, SharedList<Integer> ledger, int sign) {
    SharedLock lock = balance.getLock();
    for (int i = 0; i < 10; i++) {
      int change = sign * ThreadLocalRandom.current().nextInt(1, 200);
      lock.lock(); // Python: money.acquire()
      try {
        balance.set(balance.get() + change); // get then set: safe only under the lock
        ledger.add(change);
        System.out.println(
            "  " + (sign > 0 ? "deposit " : "withdraw") + " " + change + " -> " + balance.get());
      } finally {
        lock.unlock(); // Python: money.release()
      }
    }
  }

  static void square(SharedArray<Integer> array) {
    for (int i = 0; i < array.length(); i++) {
      array.set(i, i * i);
    }
  }

  static void append(SharedList<Integer> list, int first) {
    for (int i = 0; i < 10; i++) {
      list.add(first + i);
    }
  }
}
