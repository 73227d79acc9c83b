package org.multiprocessing4j.server;

import com.google.protobuf.ByteString;

/**
 * A user value the manager stores without looking inside (encoded by a client-side codec or by
 * Java serialization). Equality is byte equality. The manager never deserializes it, so no user
 * class is ever instantiated here.
 */
final class Opaque {
  final String codec;
  final ByteString data;

  Opaque(String codec, ByteString data) {
    this.codec = codec;
    this.data = data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Opaque && ((Opaque) o).codec.equals(codec) && ((Opaque) o).data.equals(data);
  }

  @Override
  public int hashCode() {
    return codec.hashCode() * 31 + data.hashCode();
  }

  @Override
  public String toString() {
    return "<" + codec + " value, " + data.size() + " bytes>";
  }
}
