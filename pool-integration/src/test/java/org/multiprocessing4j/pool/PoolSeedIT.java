package org.multiprocessing4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;

/**
 * The seed scenario with a manager in its own JVM, as users run it: a pool of 4 worker JVMs whose
 * tasks append to one {@code m.list()}; after {@code close()} (Python's close + join) the list
 * holds exactly the expected elements.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PoolSeedIT {

  @Test
  void seedExample_everySubmittedTaskAppendsExactlyOnce() throws Exception {
    try (Manager m = Manager.start()) {
      SharedList<Integer> lists = m.list();
      ProcessPool pool = ProcessPool.builder().processes(4).manager(m).start();
      int submitted;
      try {
        submitted = PoolSeedExample.appendUntilNotEmpty(pool, lists);
      } finally {
        pool.close();
      }
      pool.join(); // Python's order; close() already waited
      assertTrue(submitted >= 1);
      assertEquals(submitted, lists.size());
      assertEquals(
          PoolSeedExample.expected(submitted),
          lists.stream().sorted().collect(Collectors.toList()));
    }
  }

  @Test
  void fourWorkers_appendToOneSharedList() throws Exception {
    try (Manager m = Manager.start()) {
      SharedList<Long> pids = m.list();
      SharedList<Integer> list = m.list();
      List<AsyncResult<Boolean>> results = new ArrayList<>();
      try (ProcessPool pool = ProcessPool.builder().processes(4).manager(m).start()) {
        for (int i = 0; i < 200; i++) {
          int n = i;
          results.add(
              pool.applyAsync(
                  () -> {
                    pids.add(ProcessHandle.current().pid());
                    return list.add(n);
                  }));
        }
      } // close() waits for the 200 tasks
      for (AsyncResult<Boolean> result : results) {
        assertTrue(result.get()); // a failed task shows its own cause, not a missing element
      }
      assertEquals(
          IntStream.range(0, 200).boxed().collect(Collectors.toList()),
          list.stream().sorted().collect(Collectors.toList()));
      // the work really was spread over worker JVMs, none of them this one
      List<Long> distinct = pids.stream().distinct().collect(Collectors.toList());
      assertTrue(distinct.size() > 1, distinct.toString());
      assertTrue(!distinct.contains(ProcessHandle.current().pid()));
    }
  }
}
