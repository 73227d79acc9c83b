package org.multiprocessing4j.internal.wire;

import com.google.protobuf.ByteString;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.multiprocessing4j.proto.v1.Value;

/**
 * The leaves of the value model: {@code null}, booleans, boxed numbers and characters, strings,
 * bytes and big numbers, to the wire and back. Both codecs use it for everything that is not a
 * container, a proxy or an opaque user value, so the two ends cannot disagree on a scalar.
 * Stateless.
 */
public final class Scalars {
  /** What {@link #fromWire} returns for a value that is not a scalar. */
  public static final Object NOT_A_SCALAR = new Object();

  private static final Value NULL = Value.newBuilder().setNull(true).build();

  private Scalars() {}

  /**
   * The wire form of a scalar, or {@code null} if {@code value} is not one. Bytes may be a {@code
   * byte[]} (copied) or a {@link ByteString}.
   */
  public static Value toWire(Object value) {
    if (value == null) {
      return NULL;
    }
    Value.Builder b = Value.newBuilder();
    if (value instanceof String string) {
      return b.setString(string).build();
    } else if (value instanceof Integer i) {
      return b.setInt(i).build();
    } else if (value instanceof Long l) {
      return b.setLong(l).build();
    } else if (value instanceof Boolean bool) {
      return b.setBool(bool).build();
    } else if (value instanceof Double d) {
      return b.setDouble(d).build();
    } else if (value instanceof Float f) {
      return b.setFloat(f).build();
    } else if (value instanceof Short s) {
      return b.setShort(s).build();
    } else if (value instanceof Byte oneByte) {
      return b.setByte(oneByte).build();
    } else if (value instanceof Character c) {
      return b.setChar(c).build();
    } else if (value instanceof byte[] array) {
      return b.setBytes(ByteString.copyFrom(array)).build();
    } else if (value instanceof ByteString byteString) {
      return b.setBytes(byteString).build();
    } else if (value instanceof BigInteger) {
      return b.setBigInteger(value.toString()).build();
    } else if (value instanceof BigDecimal) {
      return b.setBigDecimal(value.toString()).build();
    }
    return null;
  }

  /**
   * The Java value of a scalar ({@code bytes} as a {@link ByteString}), or {@link #NOT_A_SCALAR}.
   *
   * @throws NumberFormatException for a big number that is not one
   */
  public static Object fromWire(Value value) {
    return switch (value.getKindCase()) {
      case NULL, KIND_NOT_SET -> null;
      case BOOL -> value.getBool();
      case INT -> value.getInt();
      case LONG -> value.getLong();
      case DOUBLE -> value.getDouble();
      case FLOAT -> value.getFloat();
      case STRING -> value.getString();
      case BYTES -> value.getBytes();
      case SHORT -> (short) value.getShort();
      case BYTE -> (byte) value.getByte();
      case CHAR -> (char) value.getChar();
      case BIG_INTEGER -> new BigInteger(value.getBigInteger());
      case BIG_DECIMAL -> new BigDecimal(value.getBigDecimal());
      default -> NOT_A_SCALAR;
    };
  }
}
