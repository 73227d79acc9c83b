package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/** What each operation costs in round trips: deterministic, so asserted exactly (no timing). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithManager(ManagerTier.TCP)
class RoundTripCostTest {
  private static Manager m;

  @BeforeAll
  static void start(Manager manager) {
    m = manager;
  }

  private static long cost(Runnable operation) {
    long before = m.stats().roundTrips();
    operation.run();
    return m.stats().roundTrips() - before;
  }

  // the round trips are measured, the value is not needed
  @SuppressWarnings("ReturnValueIgnored")
  private static <T> long costOf(Supplier<T> operation) {
    return cost(operation::get);
  }

  @Test
  void singleOperationsCostOneRoundTrip() {
    SharedList<Integer> list = m.list();
    List<Integer> thousand = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      thousand.add(i);
    }
    assertEquals(1, costOf(() -> m.list()));
    assertEquals(1, costOf(list::size));
    assertEquals(1, costOf(() -> list.add(1)));
    assertEquals(1, costOf(() -> list.get(0)));
    assertEquals(1, costOf(() -> list.addAll(thousand)));
    assertEquals(1, costOf(list::copy));
    SharedMap<String, Integer> map = m.dict();
    assertEquals(1, costOf(() -> map.putIfAbsent("a", 1)));
    assertEquals(1, costOf(() -> map.get("a")));
    SharedValue<Integer> value = m.value(0);
    assertEquals(1, costOf(() -> value.addAndGet(1)));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 511, 512, 513, 2000})
  void iteratingCostsOneRoundTripPerChunkPlusOne(int n) {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(i);
    }
    SharedList<Integer> list = m.list(items);
    List<Integer> seen = new ArrayList<>();
    long cost = cost(() -> list.forEach(seen::add));
    assertEquals(items, seen);
    assertEquals(n / SharedList.ITERATION_CHUNK + 1, cost);
  }
}
