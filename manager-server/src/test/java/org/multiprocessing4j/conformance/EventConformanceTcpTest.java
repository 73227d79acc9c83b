package org.multiprocessing4j.conformance;

import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/** {@link EventConformanceTest} against a manager in the {@link ManagerTier#TCP} tier. */
@WithManager(ManagerTier.TCP)
final class EventConformanceTcpTest extends EventConformanceTest {}
