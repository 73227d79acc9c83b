package org.multiprocessing4j.pool;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to a worker process: a lambda or method reference whose
 * target type is this interface is serializable, and so must be everything it captures.
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableCallable<R> extends Callable<R>, Serializable {}
