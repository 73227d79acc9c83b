package org.multiprocessing4j.conformance;

import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * {@link ValueArrayConformanceTest} against a manager in the {@link ManagerTier#IN_MEMORY} tier.
 */
@WithManager(ManagerTier.IN_MEMORY)
final class ValueArrayConformanceInMemoryTest extends ValueArrayConformanceTest {}
