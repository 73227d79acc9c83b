/**
 * The methods of the built-in shared types as they travel on the wire: one enum per type with each
 * method's wire name and argument count, and {@link
 * org.multiprocessing4j.internal.wire.methods.BuiltInTypes} by type id. Declared once here, for the
 * proxies (which call through the constants) and the manager (which binds each of them once);
 * other-language clients send the same names.
 *
 * <p>Internal: public only so that multiprocessing4j's own jars can reach it. No compatibility
 * promise, may change in any release, left out of the javadoc. (This jar does not depend on the API
 * jar, so the package is not annotated with {@code org.multiprocessing4j.Internal}; it is internal
 * all the same.)
 */
package org.multiprocessing4j.internal.wire.methods;
