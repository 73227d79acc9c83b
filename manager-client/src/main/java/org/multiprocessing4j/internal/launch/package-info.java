/**
 * Launching JVMs for the library: {@link JvmLauncher} writes every child JVM's command line, and
 * the class data archive a child JVM (manager or pool worker) starts from.
 *
 * <p>Internal: public types here exist so that multiprocessing4j's own jars can reach each other.
 * They carry no compatibility promise, may change in any release, and are left out of the javadoc.
 * Applications use {@code org.multiprocessing4j}.
 */
@Internal
package org.multiprocessing4j.internal.launch;

import org.multiprocessing4j.Internal;
