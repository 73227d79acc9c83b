package org.multiprocessing4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * Lists of one element type travel packed; every element must come back as the same type and value,
 * whatever the mix, including what the packed forms cannot hold.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithManager(ManagerTier.TCP)
class PackedListTest {
  private Manager m;

  @BeforeAll
  void start(Manager manager) {
    m = manager;
  }

  private void assertRoundTrip(List<Object> elements) {
    SharedList<Object> list = m.list(elements);
    List<Object> copy = list.copy();
    assertEquals(elements, copy);
    for (int i = 0; i < elements.size(); i++) {
      Object expected = elements.get(i);
      if (expected instanceof List) {
        continue; // a nested list comes back as an ArrayList: equal, but not the same class
      }
      assertEquals(
          expected == null ? null : expected.getClass(),
          copy.get(i) == null ? null : copy.get(i).getClass(),
          "element " + i);
    }
    // The other direction too: a packed argument of addAll.
    SharedList<Object> appended = m.list();
    appended.addAll(elements);
    assertEquals(elements, appended.copy());
  }

  @Test
  void integersLongsAndStringsKeepTheirTypes() {
    assertRoundTrip(
        new ArrayList<>(IntStream.range(-500, 500).boxed().collect(Collectors.toList())));
    assertRoundTrip(new ArrayList<>(Arrays.asList(Integer.MIN_VALUE, Integer.MAX_VALUE, 0)));
    assertRoundTrip(new ArrayList<>(Arrays.asList(Long.MIN_VALUE, Long.MAX_VALUE, 1L)));
    assertRoundTrip(new ArrayList<>(Arrays.asList("", "é", "a\u0000b", "x".repeat(10_000))));
  }

  @Test
  void mixedListsAndNullsAreNotPackedButStillExact() {
    assertRoundTrip(new ArrayList<>(Arrays.asList(1, 2L, "3")));
    assertRoundTrip(new ArrayList<>(Arrays.asList(1, null, 3)));
    assertRoundTrip(new ArrayList<>(Arrays.asList(1, (short) 2, BigInteger.TEN)));
    assertRoundTrip(new ArrayList<>(Arrays.asList(List.of(1, 2), List.of("a"))));
    assertRoundTrip(new ArrayList<>());
  }

  @Test
  void aLargeListCopiesWhole() {
    List<Long> big = LongStream.range(0, 200_000).boxed().collect(Collectors.toList());
    SharedList<Long> list = m.list(big);
    long before = m.stats().roundTrips();
    assertEquals(big, list.copy());
    assertEquals(1, m.stats().roundTrips() - before);
    assertTrue(m.stats().bytesReceived() > 0);
  }

  @Test
  void primitiveArraysStoredInAListComeBackAsTheSameArrays() {
    SharedList<Object> list = m.list();
    list.add(new int[] {1, -2, 3});
    list.add(new double[] {0.5, -1.25});
    list.add(new boolean[] {true, false});
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {1, -2, 3}, (int[]) list.get(0));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new double[] {0.5, -1.25}, (double[]) list.copy().get(1));
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        new boolean[] {true, false}, (boolean[]) list.get(2));
  }
}
