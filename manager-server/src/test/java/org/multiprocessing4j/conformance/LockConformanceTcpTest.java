package org.multiprocessing4j.conformance;

import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/** {@link LockConformanceTest} against a manager in the {@link ManagerTier#TCP} tier. */
@WithManager(ManagerTier.TCP)
final class LockConformanceTcpTest extends LockConformanceTest {}
