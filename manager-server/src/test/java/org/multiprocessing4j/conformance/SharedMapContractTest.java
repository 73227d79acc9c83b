package org.multiprocessing4j.conformance;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import junit.framework.Test;
import org.junit.runner.RunWith;
import org.junit.runners.AllTests;

/**
 * Guava testlib's {@link ConcurrentMap} contract (and, derived from it, the {@code keySet}, {@code
 * values} and {@code entrySet} view contracts) against {@code m.dict()} proxies on a real manager.
 *
 * <p>Claimed: general purpose (put, remove, entry {@code setValue}, removal through the views and
 * their iterators), insertion order (Python's dict) and serializable (a proxy serializes as a
 * reference; in a process connected to the manager it deserializes to an equal, live proxy). Not
 * claimed: any null feature — {@link SharedMap} forbids null keys and values and, like {@code
 * ConcurrentHashMap}, null queries; {@code FAILS_FAST_ON_CONCURRENT_MODIFICATION} (view iterators
 * walk a snapshot by design); {@code SERIALIZABLE_INCLUDING_VIEWS} (views are local).
 */
@RunWith(AllTests.class)
public final class SharedMapContractTest {
  private SharedMapContractTest() {}

  public static Test suite() {
    return ConcurrentMapTestSuiteBuilder.using(
            new TestStringMapGenerator() {
              @Override
              protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                // Duplicate keys at creation: the later one wins, as with put.
                Map<String, String> contents = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : entries) {
                  contents.put(e.getKey(), e.getValue());
                }
                return ContractManager.get().dict(contents);
              }
            })
        .named("SharedMap")
        .withFeatures(
            CollectionSize.ANY,
            MapFeature.GENERAL_PURPOSE,
            CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
            CollectionFeature.KNOWN_ORDER,
            CollectionFeature.SERIALIZABLE)
        .createTestSuite();
  }
}
