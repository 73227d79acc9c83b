package org.multiprocessing4j.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.multiprocessing4j.proto.v1.IntList;
import org.multiprocessing4j.proto.v1.LongList;
import org.multiprocessing4j.proto.v1.StringList;
import org.multiprocessing4j.proto.v1.Value;

/**
 * The packed forms of a list whose elements are all {@code Integer}, all {@code Long} or all
 * {@code String}: the common shapes of a shared list, sent as one packed field instead of a message
 * per element (copying a 10,000-element list is then one buffer to parse). Both codecs use it, so
 * both ends agree on the rule. Stateless.
 */
public final class PackedLists {
  private PackedLists() {}

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
      IntList.Builder packed = IntList.newBuilder();
      for (Object item : items) {
        packed.addValues((Integer) item);
      }
      return Value.newBuilder().setIntList(packed).build();
    }
    if (type == Long.class) {
      LongList.Builder packed = LongList.newBuilder();
      for (Object item : items) {
        packed.addValues((Long) item);
      }
      return Value.newBuilder().setLongList(packed).build();
    }
    StringList.Builder packed = StringList.newBuilder();
    for (Object item : items) {
      packed.addValues((String) item);
    }
    return Value.newBuilder().setStringList(packed).build();
  }

  /** The list a packed value stands for; {@code value} must be one of the packed kinds. */
  public static List<Object> unpack(Value value) {
    switch (value.getKindCase()) {
      case INT_LIST:
        {
          IntList packed = value.getIntList();
          List<Object> list = new ArrayList<>(packed.getValuesCount());
          for (int i = 0; i < packed.getValuesCount(); i++) {
            list.add(packed.getValues(i));
          }
          return list;
        }
      case LONG_LIST:
        {
          LongList packed = value.getLongList();
          List<Object> list = new ArrayList<>(packed.getValuesCount());
          for (int i = 0; i < packed.getValuesCount(); i++) {
            list.add(packed.getValues(i));
          }
          return list;
        }
      case STRING_LIST:
        return new ArrayList<>(value.getStringList().getValuesList());
      default:
        throw new IllegalArgumentException("not a packed list: " + value.getKindCase());
    }
  }
}
