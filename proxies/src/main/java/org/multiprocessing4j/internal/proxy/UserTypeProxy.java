package org.multiprocessing4j.internal.proxy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.spi.Invoker;

/**
 * A dynamic proxy of a user type's exposed interface: each interface method becomes a round trip by
 * name. {@code equals}, {@code hashCode} and {@code toString} behave as for every proxy.
 */
final class UserTypeProxy {
  private UserTypeProxy() {}

  static <T> T create(Invoker invoker, long objectId, String typeId, Class<T> exposed) {
    ByNameProxy target = new ByNameProxy(invoker, objectId, typeId);
    InvocationHandler handler = new Handler(target);
    // A JDK interface (java.util.Iterator, say) has the boot loader, which cannot see SharedObject.
    ClassLoader loader = exposed.getClassLoader();
    if (loader == null) {
      loader = SharedObject.class.getClassLoader();
    }
    Object proxy =
        Proxy.newProxyInstance(loader, new Class<?>[] {exposed, SharedObject.class}, handler);
    return exposed.cast(proxy);
  }

  /** The handle behind {@code proxy} if it is a proxy made here; null otherwise. */
  static ProxyHandle handleOf(Object proxy) {
    if (proxy != null
        && Proxy.isProxyClass(proxy.getClass())
        && Proxy.getInvocationHandler(proxy) instanceof Handler handler) {
      return handler.target.handle;
    }
    return null;
  }

  private static final class Handler implements InvocationHandler {
    private final ByNameProxy target;

    Handler(ByNameProxy target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class
          || method.getDeclaringClass() == SharedObject.class) {
        if (method.getName().equals("equals")) {
          return args[0] instanceof SharedObject && target.equals(args[0]);
        }
        return method.invoke(target, args);
      }
      return target.invoke(method.getName(), args == null ? new Object[0] : args);
    }
  }
}
