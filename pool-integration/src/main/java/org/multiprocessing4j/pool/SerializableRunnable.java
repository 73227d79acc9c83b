package org.multiprocessing4j.pool;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to a worker process (a pool's initializer); everything it
 * captures must be serializable.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {}
