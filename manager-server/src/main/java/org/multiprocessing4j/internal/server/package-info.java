/**
 * The manager server's service providers: hosting a manager inside a client's JVM for {@code
 * Manager.builder().hostInProcess()}.
 *
 * <p>Internal: public types here exist so that multiprocessing4j's own jars can reach each other.
 * They carry no compatibility promise, may change in any release, and are left out of the javadoc.
 * Applications use {@code org.multiprocessing4j}.
 */
@Internal
package org.multiprocessing4j.internal.server;

import org.multiprocessing4j.Internal;
