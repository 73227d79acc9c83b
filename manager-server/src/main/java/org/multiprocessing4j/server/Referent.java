package org.multiprocessing4j.server;

import java.util.function.LongConsumer;

/**
 * An object the manager holds, with the methods clients may call on it. Every method of a referent
 * runs with the manager's state lock held, so a call is atomic with respect to every other call; a
 * referent must never block: a call that has to wait parks with {@link Call#park} and is completed
 * later by another call, a timeout or a cancellation.
 */
interface Referent {

  /** The registered type id. */
  String typeId();

  /**
   * Runs {@code method}. Returns the result (a value of the value model, or {@link Call#PENDING}
   * after parking). Throws {@link MethodNotExposedException} for a name the type does not expose;
   * any other exception travels to the client as the same type.
   */
  Object invoke(String method, Object[] args, Call call) throws Exception;

  /** Visits the ids of shared objects this referent holds references to (nested proxies). */
  default void forEachReference(LongConsumer visitor) {}

  /** A session ended: release what it owned (locks, permits). May complete other parked calls. */
  default void sessionEnded(ServerSession session) {}

  /** The referent was freed: its parked calls, if any, must be withdrawn. */
  default void freed() {}

  /** The rendering clients get from {@code toString()}. */
  String describe();
}
