/**
 * Support for this project's tests (not published in the BOM): {@link
 * org.multiprocessing4j.testsupport.ChildJvm} starts a JVM running a test main class, {@link
 * org.multiprocessing4j.testsupport.WithManager} gives a test a manager in one of the {@link
 * org.multiprocessing4j.testsupport.ManagerTier tiers}.
 */
package org.multiprocessing4j.testsupport;
