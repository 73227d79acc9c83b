package org.multiprocessing4j.server;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.wire.methods.ArrayMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code array} type: a fixed-length primitive array with a typecode, as Python's array.array.
 */
final class ArrayReferent extends BuiltInReferent<ArrayMethod> {
  private static final ExposedMethods<ArrayMethod> METHODS = ExposedMethods.all(ArrayMethod.class);

  private static final Map<String, Class<?>> ELEMENT_TYPES =
      Map.of(
          "i", Integer.class,
          "l", Long.class,
          "h", Short.class,
          "b", Byte.class,
          "c", Character.class,
          "?", Boolean.class,
          "d", Double.class,
          "f", Float.class);

  private final String typecode;
  private final Object values;
  private final Class<?> elementType;
  private final GuardLock guard;

  ArrayReferent(TypedArray initial, ManagerState state) {
    super(TypeIds.ARRAY, METHODS);
    this.typecode = initial.typecode;
    this.values = initial.values;
    this.elementType = Objects.requireNonNull(ELEMENT_TYPES.get(typecode), typecode);
    this.guard = new GuardLock(state);
  }

  static ArrayReferent create(Object[] args, ManagerState state) {
    Args.count(TypeIds.ARRAY, "create", args, 1);
    if (!(args[0] instanceof TypedArray)) {
      throw new IllegalArgumentException(
          "array: the initial contents must be a primitive array, got " + Args.describe(args[0]));
    }
    return new ArrayReferent((TypedArray) args[0], state);
  }

  private int length() {
    return Array.getLength(values);
  }

  private int index(ArrayMethod method, Object[] args, int position) {
    int index = Args.intArg(method, args, position);
    Objects.checkIndex(index, length());
    return index;
  }

  private Object checked(Object element) {
    if (!elementType.isInstance(element)) {
      throw new ClassCastException(
          "array '"
              + typecode
              + "' holds "
              + elementType.getSimpleName()
              + ", not "
              + Args.describe(element));
    }
    return element;
  }

  @Override
  Object run(ArrayMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case LENGTH -> length();
      case GET -> Array.get(values, index(method, args, 0));
      case SET -> {
        Array.set(values, index(method, args, 0), checked(args[1]));
        yield null;
      }
      case ADD_AND_GET -> {
        int i = index(method, args, 0);
        Object sum = checked(Numbers.add(Array.get(values, i), args[1]));
        Array.set(values, i, sum);
        yield sum;
      }
      case SLICE -> {
        int from = Args.intArg(method, args, 0);
        int to = Args.intArg(method, args, 1);
        Objects.checkFromToIndex(from, to, length());
        yield elements(from, to);
      }
      case SET_SLICE -> {
        int from = Args.intArg(method, args, 0);
        List<?> replacement = Args.listArg(method, args, 1);
        Objects.checkFromIndexSize(from, replacement.size(), length());
        // Check every element before writing any: the call is all or nothing.
        replacement.forEach(this::checked);
        for (int i = 0; i < replacement.size(); i++) {
          Array.set(values, from + i, replacement.get(i));
        }
        yield null;
      }
      case TO_LIST -> elements(0, length());
      case GET_LOCK -> guard.ref();
    };
  }

  private List<Object> elements(int from, int to) {
    List<Object> list = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      list.add(Array.get(values, i));
    }
    return list;
  }

  @Override
  public void forEachReference(LongConsumer visitor) {
    guard.visit(visitor);
  }

  @Override
  public String describe() {
    return "array('" + typecode + "', " + elements(0, length()) + ")";
  }
}
