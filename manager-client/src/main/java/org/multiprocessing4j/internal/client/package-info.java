/**
 * The gRPC manager client: the {@code Manager} implementation (found through {@link
 * java.util.ServiceLoader} as an {@link org.multiprocessing4j.spi.ManagerClientProvider}), its
 * session, value codec, channels and TLS, and the child manager process.
 *
 * <p>Internal: public types here exist so that multiprocessing4j's own jars can reach each other.
 * They carry no compatibility promise, may change in any release, and are left out of the javadoc.
 * Applications use {@code org.multiprocessing4j}.
 */
@Internal
package org.multiprocessing4j.internal.client;

import org.multiprocessing4j.Internal;
