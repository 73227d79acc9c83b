package org.multiprocessing4j.spi;

/**
 * Turns a reference that arrived by Java serialization (a pool task argument, a field of a
 * serialized object) back into a live proxy in this process. The manager client installs the
 * implementation; it reuses a connection to {@code target} when this process has one and otherwise
 * connects with the authkey from the environment.
 */
public interface ProxyResolver {

  /**
   * Returns a proxy for the object, taking a new reference to it on the manager. {@code
   * managerInstanceId} names the manager that made the reference (0 if unknown): a manager started
   * since at {@code target} refuses it with {@code UNKNOWN_OBJECT}, as the object it named is gone.
   */
  Object resolve(String target, long managerInstanceId, long objectId, String typeId);
}
