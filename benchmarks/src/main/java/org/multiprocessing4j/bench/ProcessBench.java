package org.multiprocessing4j.bench;

import static org.multiprocessing4j.bench.Measurements.check;
import static org.multiprocessing4j.bench.Measurements.map;
import static org.multiprocessing4j.bench.Measurements.report;
import static org.multiprocessing4j.bench.Measurements.seconds;

import java.util.OptionalInt;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.bench.Measurements.Runs;
import org.multiprocessing4j.process.JvmProcess;

/**
 * The process rows, beside Python's {@code python_process.py}: a {@link JvmProcess} with an empty
 * target started and joined, and the seed's deposit/withdraw (two processes, ten locked updates
 * each of a shared value) end to end. Each is timed after one untimed run: the first child JVM of a
 * class path records its class data archive, later ones map it (as Python compiles its {@code .pyc}
 * files once). Not thread-safe: one run at a time.
 */
final class ProcessBench {
  private static final int START_BALANCE = 1000;

  private ProcessBench() {}

  /** {@code JvmProcess.of(empty).start().join()}: a child JVM from launch to exit. */
  static void processStartup(int reps) throws Exception {
    Runs runs =
        Measurements.afterUntimed(
            1,
            reps,
            () -> {
              long t = System.nanoTime();
              JvmProcess p = JvmProcess.of(ProcessBench::empty).start();
              p.join();
              double dt = seconds(t);
              check(p.exitCode().equals(OptionalInt.of(0)), "the empty process failed");
              return dt;
            });
    report(
        "process_startup",
        1,
        1,
        runs.timed,
        map("untimed_first_start_s", runs.first, "note", "JvmProcess.of(empty).start(); join()"));
  }

  /**
   * The seed program from {@code Manager.start()} to both joins: a value, a process that deposits
   * and one that withdraws, each holding the value's lock for its ten updates.
   */
  static void depositWithdraw(int reps) throws Exception {
    Runs runs =
        Measurements.afterUntimed(
            1,
            reps,
            () -> {
              long t = System.nanoTime();
              try (Manager m = Manager.start()) {
                SharedValue<Integer> money = m.value(START_BALANCE);
                JvmProcess d = JvmProcess.of(m, () -> update(money, 1)).start();
                JvmProcess w = JvmProcess.of(m, () -> update(money, -1)).start();
                d.join();
                w.join();
                double dt = seconds(t);
                check(
                    d.exitCode().equals(OptionalInt.of(0))
                        && w.exitCode().equals(OptionalInt.of(0)),
                    "a deposit/withdraw process failed");
                check(money.get() == START_BALANCE, "the balance does not add up");
                return dt;
              }
            });
    report(
        "deposit_withdraw",
        2,
        1,
        runs.timed,
        map(
            "untimed_first_run_s",
            runs.first,
            "note",
            "Manager.start(), m.value(1000), two JvmProcesses of ten locked updates,"
                + " both joined"));
  }

  private static void empty() {}

  /** Ten updates of {@code sign * (i + 1)} under the value's lock: the seed's save/take_money. */
  private static void update(SharedValue<Integer> money, int sign) {
    SharedLock lock = money.getLock();
    lock.lock();
    try {
      for (int i = 0; i < 10; i++) {
        money.set(money.get() + sign * (i + 1));
      }
    } finally {
      lock.unlock();
    }
  }
}
