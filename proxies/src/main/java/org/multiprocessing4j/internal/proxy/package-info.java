/**
 * The proxies: package-private final implementations of the {@code Shared*} interfaces over an
 * {@link org.multiprocessing4j.spi.Invoker}, built through {@link
 * org.multiprocessing4j.internal.proxy.Proxies}.
 *
 * <p>Internal: public types here exist so that multiprocessing4j's own jars can reach each other.
 * They carry no compatibility promise, may change in any release, and are left out of the javadoc.
 * Applications use {@code org.multiprocessing4j}.
 */
@Internal
package org.multiprocessing4j.internal.proxy;

import org.multiprocessing4j.Internal;
