package org.multiprocessing4j.conformance;

import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/** {@link BarrierConformanceTest} against a manager in the {@link ManagerTier#CHILD_JVM} tier. */
@WithManager(ManagerTier.CHILD_JVM)
final class BarrierConformanceChildJvmTest extends BarrierConformanceTest {}
