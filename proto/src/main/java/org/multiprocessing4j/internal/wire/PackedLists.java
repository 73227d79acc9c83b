package org.multiprocessing4j.internal.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntFunction;
import org.multiprocessing4j.proto.v1.IntList;
import org.multiprocessing4j.proto.v1.LongList;
import org.multiprocessing4j.proto.v1.StringList;
import org.multiprocessing4j.proto.v1.Value;

/**
 * The packed forms of a list whose elements are all {@code Integer}, all {@code Long} or all {@code
 * String}: the common shapes of a shared list, sent as one packed field instead of a message per
 * element (copying a 10,000-element list is then one buffer to parse). Both codecs use it, so both
 * ends agree on the rule. Stateless.
 */
public final class PackedLists {
  private PackedLists() {}

  /** The packed value of the first {@code count} of {@code ints}. */
  public static Value packInts(int[] ints, int count) {
    ByteBuffer words = ByteBuffer.allocate(count * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    words.asIntBuffer().put(ints, 0, count);
    // Wrapped, not copied: nothing else holds the array.
    return Value.newBuilder()
        .setIntList(IntList.newBuilder().setWords(UnsafeByteOperations.unsafeWrap(words.array())))
        .build();
  }

  /**
   * Whether a packed value's words are whole (a multiple of the word size); a peer that sends
   * otherwise breaks the protocol. Other values: true.
   */
  public static boolean wordsAreWhole(Value value) {
    return switch (value.getKindCase()) {
      case INT_LIST -> value.getIntList().getWords().size() % Integer.BYTES == 0;
      case LONG_LIST -> value.getLongList().getWords().size() % Long.BYTES == 0;
      default -> true;
    };
  }

  private static ByteBuffer words(ByteString bytes, int wordSize) {
    if (bytes.size() % wordSize != 0) {
      throw new IllegalArgumentException(
          "packed words of " + bytes.size() + " bytes: not a multiple of " + wordSize);
    }
    return bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The packed value of {@code items}, or {@code null} if they are empty or of mixed types. */
  public static Value packOrNull(Collection<?> items) {
    if (items.isEmpty()) {
      return null;
    }
    Class<?> type = null;
    for (Object item : items) {
      if (item == null) {
        return null;
      }
      Class<?> itemType = item.getClass();
      if (type == null) {
        if (itemType != Integer.class && itemType != Long.class && itemType != String.class) {
          return null;
        }
        type = itemType;
      } else if (itemType != type) {
        return null;
      }
    }
    if (type == Integer.class) {
      int[] ints = new int[items.size()];
      int i = 0;
      for (Object item : items) {
        ints[i++] = (Integer) item;
      }
      return packInts(ints, ints.length);
    }
    if (type == Long.class) {
      ByteBuffer words =
          ByteBuffer.allocate(items.size() * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (Object item : items) {
        words.putLong((Long) item);
      }
      return Value.newBuilder()
          .setLongList(
              LongList.newBuilder().setWords(UnsafeByteOperations.unsafeWrap(words.array())))
          .build();
    }
    StringList.Builder packed = StringList.newBuilder();
    for (Object item : items) {
      packed.addValues((String) item);
    }
    return Value.newBuilder().setStringList(packed).build();
  }

  /** The list a packed value stands for; {@code value} must be one of the packed kinds. */
  public static List<Object> unpack(Value value) {
    return switch (value.getKindCase()) {
      case INT_LIST -> {
        IntList packed = value.getIntList();
        IntBuffer words = words(packed.getWords(), Integer.BYTES).asIntBuffer();
        yield valuesThenWords(packed.getValuesList(), words.limit(), words::get);
      }
      case LONG_LIST -> {
        LongList packed = value.getLongList();
        LongBuffer words = words(packed.getWords(), Long.BYTES).asLongBuffer();
        yield valuesThenWords(packed.getValuesList(), words.limit(), words::get);
      }
      case STRING_LIST -> new ArrayList<>(value.getStringList().getValuesList());
      default -> throw new IllegalArgumentException("not a packed list: " + value.getKindCase());
    };
  }

  /** A packed int or long list's elements: its varint values, then its fixed-width words. */
  private static List<Object> valuesThenWords(
      List<?> values, int wordCount, IntFunction<Object> word) {
    List<Object> list = new ArrayList<>(values.size() + wordCount);
    list.addAll(values);
    for (int i = 0; i < wordCount; i++) {
      list.add(word.apply(i));
    }
    return list;
  }
}
