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
    if (value instanceof String) {
      return b.setString((String) value).build();
    } else if (value instanceof Integer) {
      return b.setInt((Integer) value).build();
    } else if (value instanceof Long) {
      return b.setLong((Long) value).build();
    } else if (value instanceof Boolean) {
      return b.setBool((Boolean) value).build();
    } else if (value instanceof Double) {
      return b.setDouble((Double) value).build();
    } else if (value instanceof Float) {
      return b.setFloat((Float) value).build();
    } else if (value instanceof Short) {
      return b.setShort((Short) value).build();
    } else if (value instanceof Byte) {
      return b.setByte((Byte) value).build();
    } else if (value instanceof Character) {
      return b.setChar((Character) value).build();
    } else if (value instanceof byte[]) {
      return b.setBytes(ByteString.copyFrom((byte[]) value)).build();
    } else if (value instanceof ByteString) {
      return b.setBytes((ByteString) value).build();
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
    switch (value.getKindCase()) {
      case NULL:
      case KIND_NOT_SET:
        return null;
      case BOOL:
        return value.getBool();
      case INT:
        return value.getInt();
      case LONG:
        return value.getLong();
      case DOUBLE:
        return value.getDouble();
      case FLOAT:
        return value.getFloat();
      case STRING:
        return value.getString();
      case BYTES:
        return value.getBytes();
      case SHORT:
        return (short) value.getShort();
      case BYTE:
        return (byte) value.getByte();
      case CHAR:
        return (char) value.getChar();
      case BIG_INTEGER:
        return new BigInteger(value.getBigInteger());
      case BIG_DECIMAL:
        return new BigDecimal(value.getBigDecimal());
      default:
        return NOT_A_SCALAR;
    }
  }
}
