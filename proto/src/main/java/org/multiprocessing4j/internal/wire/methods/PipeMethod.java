package org.multiprocessing4j.internal.wire.methods;

/** The methods of one end of a {@code pipe}. Immutable. */
public enum PipeMethod implements SharedMethod {
  SEND("send", 1),
  RECV("recv", 0),
  POLL("poll", 0),
  CLOSE("close", 0),
  IS_CLOSED("isClosed", 0),
  READABLE("readable", 0),
  WRITABLE("writable", 0),
  /** Hands out the other end of a pipe made by {@code create}; once only. */
  TAKE_PEER("takePeer", 0);

  private final Signature signature;

  PipeMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
