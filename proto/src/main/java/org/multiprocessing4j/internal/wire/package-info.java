/**
 * The wire contract's Java helpers shared by client and manager: handshake, session trailers, value
 * limits, packed encodings, authkeys, and Netty start-up settings.
 *
 * <p>Internal: public types here exist so that multiprocessing4j's own jars can reach each other.
 * They carry no compatibility promise, may change in any release, and are left out of the javadoc.
 * (This jar does not depend on the API jar, so the package is not annotated with {@code
 * org.multiprocessing4j.Internal}; it is internal all the same.)
 */
package org.multiprocessing4j.internal.wire;
