/**
 * Internal: not API, may change in any release. The methods of the built-in shared types as they
 * travel on the wire, declared once for the proxies (which call through them) and the manager
 * (which binds each of them once). Other-language clients use the same wire names.
 */
package org.multiprocessing4j.internal.wire.methods;
