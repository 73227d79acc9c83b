package org.multiprocessing4j.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiprocessing4j.GenericProxy;
import org.multiprocessing4j.internal.wire.methods.BuiltInTypes;
import org.multiprocessing4j.internal.wire.methods.ObjectMethod;

/**
 * Every method the built-in proxies call on the wire is one their type declares: each public method
 * of each proxy (and of its async view) is called by reflection against a {@link FakeInvoker},
 * which records the wire names.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class ProxyMethodsDeclaredTest {
  private static final long OBJECT_ID = 1;
  private static final Set<String> OBJECT_METHODS =
      Set.of("getClass", "wait", "notify", "notifyAll");

  static Set<String> builtInTypes() {
    return BuiltInTypes.typeIds();
  }

  @ParameterizedTest
  @MethodSource("builtInTypes")
  void everyWireCall_isDeclaredForTheType(String typeId) throws Exception {
    FakeInvoker invoker = new FakeInvoker();
    invoker.answer(call -> plausibleAnswer(invoker, typeId, call.method()));
    Object proxy = Proxies.forReference(invoker, OBJECT_ID, typeId);
    assertFalse(proxy instanceof GenericProxy, typeId + " has no built-in proxy");

    callEveryMethod(proxy);
    for (Method asyncView : proxy.getClass().getMethods()) {
      if (asyncView.getName().equals("async") && asyncView.getParameterCount() == 0) {
        callEveryMethod(asyncView.invoke(proxy));
      }
    }

    Set<String> declared = new HashSet<>(BuiltInTypes.wireNames(BuiltInTypes.methodsOf(typeId)));
    declared.add(ObjectMethod.TO_STRING.wireName());
    Set<String> used = new TreeSet<>();
    for (FakeInvoker.Call call : invoker.calls()) {
      if (call.kind() == FakeInvoker.Kind.CREATE) {
        assertTrue(BuiltInTypes.typeIds().contains(call.method()), () -> "creates " + call);
      } else if (call.objectId() == OBJECT_ID) {
        assertTrue(
            declared.contains(call.method()),
            () -> typeId + "'s proxy calls '" + call.method() + "', not declared for it");
        used.add(call.method());
      }
    }
    assertFalse(used.isEmpty(), typeId + ": no call recorded");
  }

  private static void callEveryMethod(Object target) throws IllegalAccessException {
    for (Method method : target.getClass().getMethods()) {
      if (Modifier.isStatic(method.getModifiers()) || OBJECT_METHODS.contains(method.getName())) {
        continue;
      }
      method.setAccessible(true);
      Object[] args = new Object[method.getParameterCount()];
      Class<?>[] types = method.getParameterTypes();
      for (int i = 0; i < args.length; i++) {
        args[i] = argumentOf(types[i]);
      }
      try {
        method.invoke(target, args);
      } catch (InvocationTargetException expected) {
        // Answers are only plausible: what counts is what was sent before.
      }
    }
  }

  // Condition.awaitUntil takes a Date
  @SuppressWarnings("JavaUtilDate")
  private static Object argumentOf(Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return 1;
    } else if (type == long.class || type == Long.class) {
      return 1L;
    } else if (type == boolean.class) {
      return true;
    } else if (type == double.class) {
      return 1.0;
    } else if (type == TimeUnit.class) {
      return TimeUnit.MILLISECONDS;
    } else if (type == Duration.class) {
      return Duration.ofMillis(1);
    } else if (type == Date.class) {
      return new Date();
    } else if (type == Class.class) {
      return Object.class;
    } else if (type == String.class) {
      return "name";
    } else if (type.isArray()) {
      return java.lang.reflect.Array.newInstance(type.getComponentType(), 0);
    } else if (Collection.class.isAssignableFrom(type)) {
      return new ArrayList<>(List.of("x"));
    } else if (Map.class.isAssignableFrom(type)) {
      return new HashMap<>(Map.of("k", "v"));
    } else if (type == BooleanSupplier.class) {
      return (BooleanSupplier) () -> true;
    } else if (type == Comparator.class) {
      return Comparator.naturalOrder();
    } else if (type.isInterface()) {
      // A functional argument (an operator, an action): returns null, or true where a boolean.
      return java.lang.reflect.Proxy.newProxyInstance(
          type.getClassLoader(),
          new Class<?>[] {type},
          (self, method, args) -> method.getReturnType() == boolean.class ? true : null);
    }
    return "x";
  }

  /** A reply of the type the proxy expects, so that methods making several calls make them all. */
  private static Object plausibleAnswer(FakeInvoker invoker, String typeId, String method) {
    return switch (method) {
      case "size",
          "length",
          "availablePermits",
          "getNumberWaiting",
          "remainingCapacity",
          "waiting",
          "getParties",
          "getHoldCount",
          "count",
          "indexOf",
          "lastIndexOf" ->
          0;
      case "unfinishedTasks" -> 0L;
      case "toString" -> "fake";
      case "config" -> List.of(2, -1L);
      case "range", "slice", "toList", "drain", "keys", "values" -> List.of();
      case "copy" -> typeId.equals("dict") || typeId.equals("namespace") ? Map.of() : List.of();
      case "addAll" -> typeId.contains("ueue") ? 1 : true;
      case "await" -> typeId.equals("barrier") ? 0 : true;
      case "getLock" -> Proxies.forReference(invoker, 2, "lock");
      case "takePeer" -> Proxies.forReference(invoker, 3, "pipe");
      default -> true;
    };
  }
}
