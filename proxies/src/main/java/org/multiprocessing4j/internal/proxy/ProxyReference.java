package org.multiprocessing4j.internal.proxy;

import java.io.Serializable;

/**
 * The serialized form of a proxy: where the manager is, which manager instance it was (object ids
 * start at 1 in every manager, so a manager started since at the same address must be able to tell
 * the reference is not its own), and which object. Deserializing it in any process yields a live
 * proxy there (a new reference on the manager). The authkey is not part of it: the receiving
 * process uses its own connection or the key from its environment.
 *
 * <p>Immutable. The instance id was added without changing {@code serialVersionUID}: a reference
 * written before it reads with 0 there ("unknown"), and the manager then checks only its type.
 */
final class ProxyReference implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String target;
  private final long objectId;
  private final String typeId;
  private final long managerInstanceId;

  ProxyReference(String target, long managerInstanceId, long objectId, String typeId) {
    this.target = target;
    this.managerInstanceId = managerInstanceId;
    this.objectId = objectId;
    this.typeId = typeId;
  }

  private Object readResolve() {
    return Proxies.resolve(target, managerInstanceId, objectId, typeId);
  }
}
