package org.multiprocessing4j.server;

import com.google.common.collect.testing.ListTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestListGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.ListFeature;
import java.util.Arrays;
import java.util.List;
import junit.framework.Test;
import junit.framework.TestSuite;

/**
 * The {@link java.util.List} contract (Guava testlib) for the manager's list storage, in both of
 * its representations: all integers (an {@code int[]}) and anything else (an {@code Object[]},
 * reached by switching from ints when a null or a string arrives).
 */
public final class CompactListTest {
  private CompactListTest() {}

  public static Test suite() {
    TestSuite suite = new TestSuite("CompactList");
    suite.addTest(
        contract(
            "integers",
            new SampleElements<Object>(1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE)));
    suite.addTest(contract("mixed", new SampleElements<Object>(1, "b", 3L, 'd', 5.0)));
    return suite;
  }

  private static Test contract(String name, SampleElements<Object> samples) {
    return ListTestSuiteBuilder.using(
            new TestListGenerator<Object>() {
              @Override
              public SampleElements<Object> samples() {
                return samples;
              }

              @Override
              public List<Object> create(Object... elements) {
                return new CompactList(Arrays.asList(elements));
              }

              @Override
              public Object[] createArray(int length) {
                return new Object[length];
              }

              @Override
              public Iterable<Object> order(List<Object> insertionOrder) {
                return insertionOrder;
              }
            })
        .named("CompactList of " + name)
        .withFeatures(
            CollectionSize.ANY,
            ListFeature.GENERAL_PURPOSE,
            CollectionFeature.ALLOWS_NULL_VALUES,
            CollectionFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION)
        .createTestSuite();
  }
}
