package org.multiprocessing4j.internal.wire.methods;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The methods of the {@code queue} and {@code joinableQueue} types: a joinable queue has three
 * more, from {@link #TASK_DONE} on. Immutable.
 */
public enum QueueMethod implements SharedMethod {
  PUT("put", 1),
  GET("get", 0),
  PEEK("peek", 0),
  SIZE("size", 0),
  FULL("full", 0),
  MAXSIZE("maxsize", 0),
  REMAINING_CAPACITY("remainingCapacity", 0),
  CONTAINS("contains", 1),
  CONTAINS_ALL("containsAll", 1),
  REMOVE("remove", 1),
  REMOVE_ALL("removeAll", 1),
  RETAIN_ALL("retainAll", 1),
  /** Inserts what fits, in order; answers how many went in. */
  ADD_ALL("addAll", 1),
  /** Removes up to n items (all if n is negative), in order. */
  DRAIN("drain", 1),
  CLEAR("clear", 0),
  COPY("copy", 0),
  /** joinableQueue only. */
  TASK_DONE("taskDone", 0),
  /** joinableQueue only. */
  JOIN("join", 0),
  /** joinableQueue only. */
  UNFINISHED_TASKS("unfinishedTasks", 0);

  private static final Set<QueueMethod> OF_QUEUE =
      Collections.unmodifiableSet(EnumSet.range(PUT, COPY));
  private static final Set<QueueMethod> OF_JOINABLE_QUEUE =
      Collections.unmodifiableSet(EnumSet.allOf(QueueMethod.class));

  private final Signature signature;

  QueueMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }

  /** The methods a {@code queue} exposes. */
  public static Set<QueueMethod> ofQueue() {
    return OF_QUEUE;
  }

  /** The methods a {@code joinableQueue} exposes: all of them. */
  public static Set<QueueMethod> ofJoinableQueue() {
    return OF_JOINABLE_QUEUE;
  }
}
