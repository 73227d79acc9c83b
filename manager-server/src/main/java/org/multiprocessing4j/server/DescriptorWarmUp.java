package org.multiprocessing4j.server;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.multiprocessing4j.proto.v1.StatsReply;

/**
 * Builds protobuf's descriptors of the wire protocol on a background thread as the first manager of
 * a JVM is built. Protobuf builds them (descriptor.proto's own included) on the first use of a map
 * field, which {@link StatsReply} has: in the first {@code stats()} call that took over two seconds
 * on a cold manager under load, on a transport thread and under the state lock, so no session's
 * message was read meanwhile and the lease expired a client that was waiting for its reply. In the
 * background the transport threads wait for it only if they need it before it is done, and the
 * manager's start does not wait for it at all.
 *
 * <p>Thread safety: thread-safe; starts its thread once per JVM.
 */
final class DescriptorWarmUp {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private DescriptorWarmUp() {}

  static void start() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(DescriptorWarmUp::encodeAndParse, "mp4j-descriptors");
    thread.setDaemon(true);
    thread.start();
  }

  /** A StatsReply with a map entry, encoded and parsed: what the first stats() call does. */
  private static void encodeAndParse() {
    byte[] encoded = StatsReply.newBuilder().putObjectsByType("", 1L).build().toByteArray();
    try {
      if (StatsReply.parseFrom(encoded).getObjectsByTypeOrDefault("", 0L) != 1L) {
        throw new AssertionError("protobuf lost a map entry");
      }
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
