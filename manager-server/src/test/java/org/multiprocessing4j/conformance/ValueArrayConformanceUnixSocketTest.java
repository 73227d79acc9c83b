package org.multiprocessing4j.conformance;

import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * {@link ValueArrayConformanceTest} against a manager in the {@link ManagerTier#UNIX_SOCKET} tier.
 */
@WithManager(ManagerTier.UNIX_SOCKET)
final class ValueArrayConformanceUnixSocketTest extends ValueArrayConformanceTest {}
