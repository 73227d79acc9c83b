package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.multiprocessing4j.internal.wire.methods.BuiltInTypes;
import org.multiprocessing4j.internal.wire.methods.ObjectMethod;
import org.multiprocessing4j.internal.wire.methods.SharedMethod;
import org.multiprocessing4j.proto.v1.PrimitiveArray;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The manager binds exactly the declared methods of each built-in type: every declared method of a
 * type reaches its referent (a call with a wrong argument count is refused by the central arity
 * check, not as an unknown method), and every other declared name is not exposed by that type. No
 * channel: referents are created through the {@link TypeRegistry} and called directly.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
final class MethodBindingTest {
  // Valid create arguments of each built-in type.
  private static final Map<String, Object[]> CREATE_ARGS =
      Map.of(
          TypeIds.VALUE, new Object[] {0},
          TypeIds.ARRAY,
              new Object[] {
                new TypedArray("i", new int[] {1, 2}, PrimitiveArray.getDefaultInstance())
              },
          TypeIds.SEMAPHORE, new Object[] {1},
          TypeIds.BOUNDED_SEMAPHORE, new Object[] {1},
          TypeIds.BARRIER, new Object[] {2},
          TypeIds.PIPE, new Object[] {true});

  private final ManagerState state = new ManagerState(null);
  private final TypeRegistry registry = TypeRegistry.withBuiltins();

  static Set<String> builtInTypes() {
    return BuiltInTypes.typeIds();
  }

  private Referent create(String typeId) throws Exception {
    TypeRegistry.Factory factory = registry.get(typeId);
    assertNotNull(factory, () -> "declared type '" + typeId + "' is not registered");
    Referent referent = factory.create(CREATE_ARGS.getOrDefault(typeId, new Object[0]), state);
    assertEquals(typeId, referent.typeId());
    return referent;
  }

  @ParameterizedTest
  @MethodSource("builtInTypes")
  void everyDeclaredMethod_isBoundAndItsArityChecked(String typeId) throws Exception {
    Referent referent = create(typeId);
    for (SharedMethod method : BuiltInTypes.methodsOf(typeId)) {
      Object[] tooMany = new Object[method.signature().maxArgs() + 1];
      IllegalArgumentException refused =
          assertThrows(
              IllegalArgumentException.class,
              () -> referent.invoke(method.wireName(), tooMany, null),
              () -> typeId + "." + method.wireName() + " is declared but not bound");
      assertEquals(
          typeId
              + "."
              + method.wireName()
              + " takes "
              + method.signature().arity()
              + ", got "
              + tooMany.length,
          refused.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("builtInTypes")
  void methodsDeclaredForOtherTypes_areNotExposed(String typeId) throws Exception {
    Referent referent = create(typeId);
    Set<String> notOurs = new TreeSet<>(BuiltInTypes.wireNames(BuiltInTypes.allMethods()));
    notOurs.removeAll(BuiltInTypes.wireNames(BuiltInTypes.methodsOf(typeId)));
    notOurs.remove(ObjectMethod.TO_STRING.wireName()); // the dispatcher's, for every type
    for (String name : notOurs) {
      assertThrows(
          MethodNotExposedException.class,
          () -> referent.invoke(name, new Object[0], null),
          () -> typeId + " exposes '" + name + "', which it does not declare");
    }
  }

  @Test
  void declaredTypes_areTheTypeIds() throws IllegalAccessException {
    Set<String> typeIds = new LinkedHashSet<>();
    for (Field field : TypeIds.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        typeIds.add((String) field.get(null));
      }
    }
    assertEquals(new TreeSet<>(typeIds), new TreeSet<>(BuiltInTypes.typeIds()));
  }

  @Test
  void wrongArity_isAClearError() throws Exception {
    Referent list = create(TypeIds.LIST);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> list.invoke("get", new Object[0], null));
    assertEquals("list.get takes 1 argument, got 0", e.getMessage());
    Referent condition = create(TypeIds.CONDITION);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> condition.invoke("signal", new Object[] {1, 2}, null));
    assertEquals("condition.signal takes 0 to 1 arguments, got 2", e.getMessage());
  }

  @Test
  void wireNames_areUniqueWithinEachType() {
    for (String typeId : BuiltInTypes.typeIds()) {
      List<String> names = new ArrayList<>();
      BuiltInTypes.methodsOf(typeId).forEach(method -> names.add(method.wireName()));
      Arrays.stream(ObjectMethod.values()).forEach(method -> names.add(method.wireName()));
      assertEquals(
          new LinkedHashSet<>(names).size(),
          names.size(),
          () -> typeId + " declares a name twice: " + names);
      assertEquals(Collections.emptyList(), names.stream().filter(String::isEmpty).toList());
    }
  }
}
