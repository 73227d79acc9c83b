package org.multiprocessing4j.internal.client;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.ValueCodec;
import org.multiprocessing4j.internal.proxy.Proxies;
import org.multiprocessing4j.internal.wire.PackedLists;
import org.multiprocessing4j.internal.wire.PrimitiveArrays;
import org.multiprocessing4j.internal.wire.Scalars;
import org.multiprocessing4j.internal.wire.ValueLimits;
import org.multiprocessing4j.proto.v1.ObjectRef;
import org.multiprocessing4j.proto.v1.OpaqueValue;
import org.multiprocessing4j.proto.v1.Value;
import org.multiprocessing4j.proto.v1.ValueList;
import org.multiprocessing4j.proto.v1.ValueMap;
import org.multiprocessing4j.spi.Invoker;

/**
 * The value model on the client: Java values to wire values and back. Unsupported values fail here,
 * before anything is sent. Java serialization is used only for classes the user allowed, and
 * reading it goes through an {@link ObjectInputFilter} that refuses every other class before it is
 * instantiated.
 *
 * <p>Thread-safe: immutable after construction.
 */
final class ClientCodec {
  static final String JAVA_CODEC = "java";
  // Always readable: our own reference type and the JDK's value classes.
  private static final String BASE_ALLOW_LIST =
      "org.multiprocessing4j.internal.proxy.ProxyReference;"
          + "java.lang.*;java.util.*;java.math.*;java.time.*";
  private static final String LIMITS = "maxdepth=32;maxrefs=100000;maxarray=67108864";

  /** The user's choices: codecs, and which classes may travel by Java serialization. */
  static final class Config {
    final List<ValueCodec<?>> codecs;
    final List<String> serializablePatterns;

    Config(List<ValueCodec<?>> codecs, List<String> serializablePatterns) {
      this.codecs = List.copyOf(codecs);
      this.serializablePatterns = List.copyOf(serializablePatterns);
    }

    static Config defaults() {
      return new Config(List.of(), List.of());
    }
  }

  private final Invoker invoker;
  private final Map<String, ValueCodec<?>> codecsByName = new LinkedHashMap<>();
  private final List<ValueCodec<?>> codecs;
  private final ObjectInputFilter userFilter;
  private final ObjectInputFilter readFilter;

  ClientCodec(Invoker invoker, Config config) {
    this.invoker = invoker;
    this.codecs = config.codecs;
    for (ValueCodec<?> codec : config.codecs) {
      if (codec.name().equals(JAVA_CODEC)) {
        throw new IllegalArgumentException("the codec name 'java' is reserved");
      }
      codecsByName.put(codec.name(), codec);
    }
    String userPatterns = String.join(";", config.serializablePatterns);
    this.userFilter =
        userPatterns.isEmpty() ? null : ObjectInputFilter.Config.createFilter(userPatterns + ";!*");
    this.readFilter =
        ObjectInputFilter.Config.createFilter(
            LIMITS
                + ";"
                + BASE_ALLOW_LIST
                + (userPatterns.isEmpty() ? "" : ";" + userPatterns)
                + ";!*");
  }

  Value encode(Object value) {
    return encode(value, 0);
  }

  /** {@code depth}: how many containers enclose {@code value}. */
  private Value encode(Object value, int depth) {
    if (depth > ValueLimits.MAX_NESTING) {
      // Checked here, before sending: the manager could not parse a much deeper message, and
      // gRPC would end this whole session over it. Also stops a collection that contains itself.
      throw new ManagerException(
          ManagerException.Code.UNSUPPORTED_VALUE,
          "cannot send a value nested more than "
              + ValueLimits.MAX_NESTING
              + " levels deep (does a collection contain itself?); nothing was sent");
    }
    Value scalar = Scalars.toWire(value);
    if (scalar != null) {
      return scalar;
    }
    Value.Builder b = Value.newBuilder();
    if (value instanceof SharedObject shared) {
      long instance = Proxies.managerInstanceId(shared);
      // The same manager may be reached under several address strings (localhost, 127.0.0.1):
      // a known instance id says it is this one.
      if (!shared.managerTarget().equals(invoker.target())
          && (instance == 0 || instance != invoker.managerInstanceId())) {
        throw unsupported(
            value,
            "it is a proxy of the manager at "
                + shared.managerTarget()
                + "; only proxies of this manager ("
                + invoker.target()
                + ") can be stored here");
      }
      // Its instance lets the manager refuse a proxy that outlived the manager at this address.
      return b.setRef(
              ObjectRef.newBuilder()
                  .setObjectId(shared.objectId())
                  .setTypeId(shared.typeId())
                  .setManagerInstanceId(instance))
          .build();
    } else if (value instanceof Set) {
      return b.setSet(encodeItems((Set<?>) value, depth + 1)).build();
    } else if (value instanceof List) {
      // A packed list counts as a container like any other: its elements sit one level deeper.
      Value packed =
          depth < ValueLimits.MAX_NESTING ? PackedLists.packOrNull((List<?>) value) : null;
      return packed != null ? packed : b.setList(encodeItems((List<?>) value, depth + 1)).build();
    } else if (value instanceof Map) {
      ValueMap.Builder map = ValueMap.newBuilder();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        map.addKeys(encode(e.getKey(), depth + 1));
        map.addValues(encode(e.getValue(), depth + 1));
      }
      return b.setMap(map).build();
    } else if (value.getClass().isArray() && value.getClass().getComponentType().isPrimitive()) {
      return b.setArray(PrimitiveArrays.toWire(value)).build();
    }
    for (ValueCodec<?> codec : codecs) {
      if (codec.type().isInstance(value)) {
        return b.setOpaque(
                OpaqueValue.newBuilder()
                    .setCodec(codec.name())
                    .setData(ByteString.copyFrom(encodeWith(codec, value))))
            .build();
      }
    }
    if (value instanceof Serializable && javaSerializationAllowed(value.getClass())) {
      return b.setOpaque(
              OpaqueValue.newBuilder()
                  .setCodec(JAVA_CODEC)
                  .setData(ByteString.copyFrom(serialize(value))))
          .build();
    }
    throw unsupported(
        value,
        "supported values are null, boxed primitives, String, byte[], BigInteger, BigDecimal,"
            + " List/Set/Map of supported values, and proxies; register a ValueCodec for "
            + value.getClass().getName()
            + " or allow it with allowJavaSerialization(...)");
  }

  private static <T> byte[] encodeWith(ValueCodec<T> codec, Object value) {
    return codec.encode(codec.type().cast(value));
  }

  private ValueList encodeItems(Collection<?> items, int depth) {
    ValueList.Builder list = ValueList.newBuilder();
    for (Object item : items) {
      list.addItems(encode(item, depth));
    }
    return list.build();
  }

  private static ManagerException unsupported(Object value, String why) {
    return new ManagerException(
        ManagerException.Code.UNSUPPORTED_VALUE,
        "cannot send a value of type "
            + value.getClass().getName()
            + ": "
            + why
            + "; nothing was sent");
  }

  Object decode(Value value) {
    if (value.hasBytes()) {
      return value.getBytes().toByteArray(); // a private copy for the caller
    }
    Object scalar;
    try {
      scalar = Scalars.fromWire(value);
    } catch (NumberFormatException e) {
      throw new ManagerException(
          ManagerException.Code.PROTOCOL_ERROR, "malformed number: " + e.getMessage());
    }
    if (scalar != Scalars.NOT_A_SCALAR) {
      return scalar;
    }
    switch (value.getKindCase()) {
      case LIST -> {
        List<Object> list = new ArrayList<>(value.getList().getItemsCount());
        for (Value item : value.getList().getItemsList()) {
          list.add(decode(item));
        }
        return list;
      }
      case INT_LIST, LONG_LIST, STRING_LIST -> {
        return PackedLists.unpack(value);
      }
      case SET -> {
        Set<Object> set = new LinkedHashSet<>();
        for (Value item : value.getSet().getItemsList()) {
          set.add(decode(item));
        }
        return set;
      }
      case MAP -> {
        ValueMap map = value.getMap();
        Map<Object, Object> decoded = new LinkedHashMap<>();
        for (int i = 0; i < map.getKeysCount(); i++) {
          decoded.put(decode(map.getKeys(i)), decode(map.getValues(i)));
        }
        return decoded;
      }
      case REF -> {
        return Proxies.forReference(
            invoker, value.getRef().getObjectId(), value.getRef().getTypeId());
      }
      case OPAQUE -> {
        return decodeOpaque(value.getOpaque());
      }
      case ARRAY -> {
        try {
          return PrimitiveArrays.toJava(value.getArray());
        } catch (IllegalArgumentException | ArithmeticException e) {
          throw new ManagerException(ManagerException.Code.PROTOCOL_ERROR, e.getMessage());
        }
      }
      default ->
          throw new ManagerException(
              ManagerException.Code.PROTOCOL_ERROR, "unknown value kind " + value.getKindCase());
    }
  }

  private Object decodeOpaque(OpaqueValue opaque) {
    if (opaque.getCodec().equals(JAVA_CODEC)) {
      return deserialize(opaque.getData().toByteArray());
    }
    ValueCodec<?> codec = codecsByName.get(opaque.getCodec());
    if (codec == null) {
      throw new ManagerException(
          ManagerException.Code.UNSUPPORTED_VALUE,
          "received a value encoded by codec '"
              + opaque.getCodec()
              + "', which is not registered in this client");
    }
    return codec.decode(opaque.getData().toByteArray());
  }

  private boolean javaSerializationAllowed(Class<?> type) {
    if (userFilter == null) {
      return false;
    }
    ObjectInputFilter.Status status = userFilter.checkInput(new ClassOnly(type));
    return status == ObjectInputFilter.Status.ALLOWED;
  }

  private static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new ManagerException(
          ManagerException.Code.UNSUPPORTED_VALUE,
          "cannot serialize " + value.getClass().getName() + ": " + e + "; nothing was sent",
          e);
    }
    return bytes.toByteArray();
  }

  private Object deserialize(byte[] data) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
      in.setObjectInputFilter(readFilter);
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new ManagerException(
          ManagerException.Code.UNSUPPORTED_VALUE,
          "refused to deserialize a value: "
              + e.getMessage()
              + " (allow its class with allowJavaSerialization(...))",
          e);
    }
  }

  /** Lets a serialization filter judge a class before any instance exists. */
  private static final class ClassOnly implements ObjectInputFilter.FilterInfo {
    private final Class<?> type;

    ClassOnly(Class<?> type) {
      this.type = type;
    }

    @Override
    public Class<?> serialClass() {
      return type;
    }

    @Override
    public long arrayLength() {
      return -1;
    }

    @Override
    public long depth() {
      return 1;
    }

    @Override
    public long references() {
      return 0;
    }

    @Override
    public long streamBytes() {
      return 0;
    }
  }
}
