package org.multiprocessing4j.pool;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to a worker process: a lambda or method reference whose
 * target type is this interface is serializable, and so must be everything it captures.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}
