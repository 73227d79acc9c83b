package org.multiprocessing4j.server;

import com.google.protobuf.ByteString;

/**
 * A user value the manager stores without looking inside (encoded by a client-side codec or by Java
 * serialization). Equality is byte equality. The manager never deserializes it, so no user class is
 * ever instantiated here. Immutable.
 */
record Opaque(String codec, ByteString data) {

  @Override
  public String toString() {
    return "<" + codec + " value, " + data.size() + " bytes>";
  }
}
