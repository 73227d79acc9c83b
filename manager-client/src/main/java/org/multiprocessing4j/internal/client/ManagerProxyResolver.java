package org.multiprocessing4j.internal.client;

import org.multiprocessing4j.Internal;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.spi.ManagerSettings;
import org.multiprocessing4j.spi.ProxyResolver;

/**
 * Resolves references that arrive by Java serialization: through this process's open connection to
 * that manager, or else a new connection with the authkey from the environment (so a worker started
 * with {@link Manager#childEnvironment()} needs no code to use proxies it receives), over TLS if
 * the environment says so. The key is never part of the serialized reference. A connection to the
 * manager instance that made the reference is preferred, under whatever address; through one to
 * another instance at the reference's address, the manager refuses the reference ({@code
 * UNKNOWN_OBJECT}: the manager that made it is gone).
 *
 * <p>Installed through {@link java.util.ServiceLoader}; thread-safe.
 */
@Internal
public final class ManagerProxyResolver implements ProxyResolver {
  private static final Object CONNECT_LOCK = new Object();

  @Override
  public Object resolve(String target, long managerInstanceId, long objectId, String typeId) {
    GrpcManager manager = GrpcManager.open(target, managerInstanceId);
    if (manager == null) {
      synchronized (CONNECT_LOCK) {
        manager = GrpcManager.open(target, managerInstanceId);
        if (manager == null) {
          if (!Environment.hasAuthkey()) {
            throw new ManagerException(
                ManagerException.Code.AUTHENTICATION_FAILED,
                "received a proxy of the manager at "
                    + target
                    + ", but this process has no"
                    + " connection to it and no "
                    + Manager.ENV_AUTHKEY
                    + " in its environment;"
                    + " call Manager.connect(target, key) first");
          }
          // Kept open for the life of the process: proxies resolved through it use it.
          manager =
              GrpcManager.connect(
                  GrpcManager.withEnvironmentTls(
                      ManagerSettings.defaults().withAuthkey(Environment.authkeyFromEnvironment())),
                  target,
                  null);
        }
      }
    }
    return manager.attach(objectId, typeId, managerInstanceId);
  }
}
