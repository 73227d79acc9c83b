package org.multiprocessing4j.internal.wire;

/**
 * Limits on values both ends enforce, so that any value one end accepts the other can parse.
 *
 * <p>Thread-safe: constants only.
 */
public final class ValueLimits {
  /**
   * Deepest nesting of containers (lists, sets, maps) in one value. Each level costs two protobuf
   * messages (Value and ValueList or ValueMap), and protobuf parsers refuse messages nested more
   * than 100 deep: a value much deeper than this would not parse at the other end, and gRPC ends
   * the whole stream (the session, with every reference it held) over one unparseable message. 32
   * levels leave room for the envelope on the way in and out. A collection that contains itself
   * hits this limit too.
   */
  public static final int MAX_NESTING = 32;

  private ValueLimits() {}
}
