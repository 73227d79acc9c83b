package org.multiprocessing4j.spi;

/**
 * The type ids of the built-in shared types, as the manager registers them: what {@link
 * Invoker#create} and {@link ProxyResolver#resolve} take and {@code SharedObject.typeId()} returns.
 * They are part of the wire (other-language clients send the same strings).
 */
public final class TypeIds {
  public static final String LIST = "list";
  public static final String DICT = "dict";
  public static final String VALUE = "value";
  public static final String ARRAY = "array";
  public static final String NAMESPACE = "namespace";
  public static final String LOCK = "lock";
  public static final String RLOCK = "rlock";
  public static final String SEMAPHORE = "semaphore";
  public static final String BOUNDED_SEMAPHORE = "boundedSemaphore";
  public static final String CONDITION = "condition";
  public static final String EVENT = "event";
  public static final String BARRIER = "barrier";
  public static final String QUEUE = "queue";
  public static final String JOINABLE_QUEUE = "joinableQueue";
  public static final String PIPE = "pipe";

  private TypeIds() {}
}
