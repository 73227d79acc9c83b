/**
 * Python's {@code multiprocessing.Process} for the JVM: {@link
 * org.multiprocessing4j.process.JvmProcess} runs a serializable target in a fresh JVM whose
 * captured proxies reconnect to the manager. The API is {@code JvmProcess}, its {@code Builder} and
 * {@code Output}, {@link org.multiprocessing4j.process.ProcessTarget} and {@link
 * org.multiprocessing4j.process.JvmProcessException}; the rest of the package is implementation.
 */
package org.multiprocessing4j.process;
