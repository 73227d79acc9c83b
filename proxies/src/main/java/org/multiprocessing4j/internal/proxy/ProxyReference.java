package org.multiprocessing4j.internal.proxy;

import java.io.Serializable;

/**
 * The serialized form of a proxy: where the manager is and which object. Deserializing it in any
 * process yields a live proxy there (a new reference on the manager). The authkey is not part of
 * it: the receiving process uses its own connection or the key from its environment.
 */
final class ProxyReference implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String target;
  private final long objectId;
  private final String typeId;

  ProxyReference(String target, long objectId, String typeId) {
    this.target = target;
    this.objectId = objectId;
    this.typeId = typeId;
  }

  private Object readResolve() {
    return Proxies.resolve(target, objectId, typeId);
  }
}
