package org.multiprocessing4j.conformance;

import com.google.common.collect.testing.ListTestSuiteBuilder;
import com.google.common.collect.testing.TestStringListGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.ListFeature;
import java.util.Arrays;
import java.util.List;
import junit.framework.Test;
import org.junit.runner.RunWith;
import org.junit.runners.AllTests;

/**
 * Guava testlib's {@link List} contract against {@code m.list()} proxies on a real manager.
 *
 * <p>Claimed: a general-purpose list (set, add and remove, also by index and through iterators,
 * list iterators and sub-lists) that allows nulls ({@link SharedList} says so) and is serializable
 * (a proxy serializes as a reference; in a process connected to the manager it deserializes to an
 * equal, live proxy). Not claimed: {@code FAILS_FAST_ON_CONCURRENT_MODIFICATION} (iteration is live
 * and index-based, like Python's, by design) and {@code SERIALIZABLE_INCLUDING_VIEWS} (sub-lists
 * are local views, not proxies).
 */
@RunWith(AllTests.class)
public final class SharedListContractTest {
  private SharedListContractTest() {}

  public static Test suite() {
    return ListTestSuiteBuilder.using(
            new TestStringListGenerator() {
              @Override
              protected List<String> create(String[] elements) {
                return ContractManager.get().list(Arrays.asList(elements));
              }
            })
        .named("SharedList")
        .withFeatures(
            CollectionSize.ANY,
            ListFeature.GENERAL_PURPOSE,
            CollectionFeature.ALLOWS_NULL_VALUES,
            CollectionFeature.SERIALIZABLE)
        .createTestSuite();
  }
}
