package org.multiprocessing4j.pool;

import java.util.List;
import java.util.stream.Collectors;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;

/**
 * The seed article's Pool example: pool workers append to one {@code Manager().list()}, and the
 * parent keeps submitting {@code apply_async(test, (i, lists))} only while the list is still empty.
 * Python hands the list to each task as an argument (its "Windows version"); here the lambda
 * captures the proxy, which travels to the worker as a reference and reconnects there.
 *
 * <pre>{@code
 * def test(i, lists):
 *     print(i)
 *     lists.append(i)
 *
 * pool = Pool()
 * lists = Manager().list()
 * for i in range(10000000):
 *     if len(lists) <= 0:
 *         pool.apply_async(test, args=(i, lists))
 *     else:
 *         break
 * pool.close()
 * pool.join()
 * }</pre>
 *
 * <p>Run: {@code mvn -B -q -pl pool-integration test-compile exec:exec
 * -Dexec.mainClass=org.multiprocessing4j.pool.PoolSeedExample} (see the README).
 */
public final class PoolSeedExample {
  private PoolSeedExample() {}

  public static void main(String[] args) {
    try (Manager m = Manager.start()) {
      SharedList<Integer> lists = m.list();
      int submitted;
      try (ProcessPool pool = ProcessPool.builder().processes(4).manager(m).start()) {
        submitted = appendUntilNotEmpty(pool, lists);
      } // close(): Python's pool.close(); pool.join()
      List<Integer> sorted = lists.stream().sorted().collect(Collectors.toList());
      System.out.println(
          "submitted "
              + submitted
              + " tasks; the list holds "
              + sorted.size()
              + " elements, each task's number once: "
              + sorted.equals(expected(submitted)));
    }
  }

  /** The seed's loop; returns how many tasks it submitted (tasks 0 .. n-1). */
  // the tasks report through the shared list; the caller joins the pool
  @SuppressWarnings("FutureReturnValueIgnored")
  static int appendUntilNotEmpty(ProcessPool pool, SharedList<Integer> lists) {
    int i = 0;
    for (; i < 10_000_000; i++) {
      if (lists.size() <= 0) {
        int n = i;
        pool.applyAsync(
            () -> {
              System.out.println(n);
              return lists.add(n);
            });
      } else {
        break;
      }
    }
    return i;
  }

  /** The elements a run must leave in the list: each submitted task appended its number once. */
  static List<Integer> expected(int submitted) {
    return java.util.stream.IntStream.range(0, submitted).boxed().collect(Collectors.toList());
  }
}
