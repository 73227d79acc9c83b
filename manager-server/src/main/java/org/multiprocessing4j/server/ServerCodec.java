package org.multiprocessing4j.server;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.internal.wire.PackedLists;
import org.multiprocessing4j.internal.wire.PrimitiveArrays;
import org.multiprocessing4j.internal.wire.Scalars;
import org.multiprocessing4j.internal.wire.ValueLimits;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.ObjectRef;
import org.multiprocessing4j.proto.v1.PrimitiveArray;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.proto.v1.ValueList;
import org.multiprocessing4j.proto.v1.ValueMap;

/**
 * Translates between wire values and the manager's Java values: immutable scalars, fresh
 * ArrayList/LinkedHashMap/LinkedHashSet copies for containers, {@link Ref} for shared objects,
 * {@link Opaque} for user values and {@link ByteString} for bytes. Runs under the state lock.
 */
final class ServerCodec {

  private ServerCodec() {}

  static Object[] decodeAll(List<Value> values, ManagerState state) throws CodedException {
    Object[] decoded = new Object[values.size()];
    for (int i = 0; i < decoded.length; i++) {
      decoded[i] = decode(values.get(i), state, 0);
    }
    return decoded;
  }

  /** {@code depth}: how many containers enclose {@code value}. */
  private static Object decode(Value value, ManagerState state, int depth) throws CodedException {
    if (depth > ValueLimits.MAX_NESTING) {
      // Anything stored must be sendable back: an element comes back a level deeper than the
      // request that stored it (inside a list copy), and a reply too deep to parse would end the
      // reader's whole session. Clients check the same limit before sending.
      throw new CodedException(
          ErrorCode.UNSUPPORTED_VALUE,
          "values may be nested at most " + ValueLimits.MAX_NESTING + " levels deep");
    }
    Object scalar;
    try {
      scalar = Scalars.fromWire(value);
    } catch (NumberFormatException e) {
      throw new CodedException(ErrorCode.UNSUPPORTED_VALUE, "not a number: " + value.getKindCase());
    }
    if (scalar != Scalars.NOT_A_SCALAR) {
      return scalar;
    }
    switch (value.getKindCase()) {
      case LIST -> {
        List<Object> list = new ArrayList<>(value.getList().getItemsCount());
        for (Value item : value.getList().getItemsList()) {
          list.add(decode(item, state, depth + 1));
        }
        return list;
      }
      case INT_LIST, LONG_LIST, STRING_LIST -> {
        // Elements of a packed list sit one level deeper, as in a plain list.
        if (depth + 1 > ValueLimits.MAX_NESTING) {
          throw new CodedException(
              ErrorCode.UNSUPPORTED_VALUE,
              "values may be nested at most " + ValueLimits.MAX_NESTING + " levels deep");
        }
        if (!PackedLists.wordsAreWhole(value)) {
          throw new CodedException(
              ErrorCode.PROTOCOL_ERROR, "a packed list's words are not a whole number of words");
        }
        return PackedLists.unpack(value);
      }
      case SET -> {
        Set<Object> set = new LinkedHashSet<>();
        for (Value item : value.getSet().getItemsList()) {
          set.add(decode(item, state, depth + 1));
        }
        return set;
      }
      case MAP -> {
        ValueMap map = value.getMap();
        if (map.getKeysCount() != map.getValuesCount()) {
          throw new CodedException(ErrorCode.PROTOCOL_ERROR, "map with unequal keys and values");
        }
        Map<Object, Object> decoded = new LinkedHashMap<>();
        for (int i = 0; i < map.getKeysCount(); i++) {
          decoded.put(
              decode(map.getKeys(i), state, depth + 1), decode(map.getValues(i), state, depth + 1));
        }
        return decoded;
      }
      case REF -> {
        ObjectRef ref = value.getRef();
        // A proxy still alive in a client that outlived its manager: its id is not ours.
        state.requireMadeHere(
            ref.getManagerInstanceId(), ref.getObjectId(), "Nothing was stored or done");
        ManagerState.Entry entry = state.entry(ref.getObjectId());
        if (entry == null) {
          throw new CodedException(
              ErrorCode.UNKNOWN_OBJECT, "no shared object with id " + ref.getObjectId());
        }
        // Only the manager's own type id matches: every proxy learnt it from a reply. An empty one
        // (unlike Attach's) is refused too, as no proxy sends it.
        ManagerState.requireType(entry, ref.getTypeId(), "Nothing was stored or done");
        state.nestedReferenceStored();
        return new Ref(ref.getObjectId(), entry.referent.typeId());
      }
      case OPAQUE -> {
        return new Opaque(value.getOpaque().getCodec(), value.getOpaque().getData());
      }
      case ARRAY -> {
        return decodeArray(value.getArray());
      }
      default ->
          throw new CodedException(
              ErrorCode.UNSUPPORTED_VALUE, "unknown value kind " + value.getKindCase());
    }
  }

  private static TypedArray decodeArray(PrimitiveArray array) throws CodedException {
    try {
      return new TypedArray(array.getTypecode(), PrimitiveArrays.toJava(array), array);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CodedException(ErrorCode.UNSUPPORTED_VALUE, e.getMessage());
    }
  }

  /**
   * Encodes a result. Shared objects it contains are collected in {@code refs}: the caller takes
   * one reference per occurrence for the receiving session once the reply is known to be sent.
   */
  static Value encode(Object value, List<Ref> refs) throws CodedException {
    Value scalar = Scalars.toWire(value);
    if (scalar != null) {
      return scalar;
    }
    Value.Builder b = Value.newBuilder();
    if (value instanceof Ref ref) {
      refs.add(ref);
      return b.setRef(ObjectRef.newBuilder().setObjectId(ref.objectId()).setTypeId(ref.typeId()))
          .build();
    } else if (value instanceof Opaque opaque) {
      return b.setOpaque(
              org.multiprocessing4j.proto.v1.OpaqueValue.newBuilder()
                  .setCodec(opaque.codec())
                  .setData(opaque.data()))
          .build();
    } else if (value instanceof Set) {
      return b.setSet(encodeItems((Set<?>) value, refs)).build();
    } else if (value instanceof TypedArray typedArray) {
      return b.setArray(typedArray.wire).build();
    } else if (value instanceof CompactList list && list.holdsInts()) {
      // A whole list of ints: straight from its int[] to the packed field, nothing boxed.
      return list.isEmpty()
          ? b.setList(ValueList.getDefaultInstance()).build()
          : PackedLists.packInts(list.intArray(), list.size());
    } else if (value instanceof Collection) {
      Value packed = PackedLists.packOrNull((Collection<?>) value);
      return packed != null ? packed : b.setList(encodeItems((Collection<?>) value, refs)).build();
    } else if (value instanceof Map) {
      ValueMap.Builder map = ValueMap.newBuilder();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        map.addKeys(encode(e.getKey(), refs));
        map.addValues(encode(e.getValue(), refs));
      }
      return b.setMap(map).build();
    } else if (value instanceof Value alreadyEncoded) {
      return alreadyEncoded;
    }
    throw new CodedException(
        ErrorCode.UNSUPPORTED_VALUE,
        "the manager cannot send a value of type " + value.getClass().getName());
  }

  private static ValueList encodeItems(Collection<?> items, List<Ref> refs) throws CodedException {
    ValueList.Builder list = ValueList.newBuilder();
    for (Object item : items) {
      list.addItems(encode(item, refs));
    }
    return list.build();
  }
}
