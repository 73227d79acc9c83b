package org.multiprocessing4j;

import java.util.Map;

/**
 * What a client's use of a manager has cost so far, and what the manager holds. The client-side
 * counts are exact and deterministic: every proxy operation is a known number of round trips
 * (documented on each {@code Shared*} type), so tests can assert costs without timing anything.
 * {@code stats()} calls are not counted in {@link #roundTrips()}; their bytes are in the byte
 * counts.
 *
 * <p>Immutable.
 */
public final class ManagerStats {
  private final long roundTrips;
  private final long requestMessages;
  private final long bytesSent;
  private final long bytesReceived;
  private final long objectCount;
  private final long sessionCount;
  private final long callsServed;
  private final Map<String, Long> objectsByType;

  /** For manager clients, which build it from the manager's reply; not for applications. */
  @Internal
  public ManagerStats(
      long roundTrips,
      long requestMessages,
      long bytesSent,
      long bytesReceived,
      long objectCount,
      long sessionCount,
      long callsServed,
      Map<String, Long> objectsByType) {
    this.roundTrips = roundTrips;
    this.requestMessages = requestMessages;
    this.bytesSent = bytesSent;
    this.bytesReceived = bytesReceived;
    this.objectCount = objectCount;
    this.sessionCount = sessionCount;
    this.callsServed = callsServed;
    this.objectsByType = Map.copyOf(objectsByType);
  }

  /** Requests this client sent that expect a reply (each is one round trip). */
  public long roundTrips() {
    return roundTrips;
  }

  /**
   * Messages that carried those requests: one per blocking call, but asynchronous calls ({@code
   * async()}) made faster than they can be sent travel several to a message. Counted like {@link
   * #roundTrips()}.
   */
  public long requestMessages() {
    return requestMessages;
  }

  /** Bytes of protobuf messages this client sent (payload, before HTTP/2 framing). */
  public long bytesSent() {
    return bytesSent;
  }

  /** Bytes of protobuf messages this client received. */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** Shared objects alive on the manager (Python's {@code _number_of_objects()}). */
  public long objectCount() {
    return objectCount;
  }

  /** Client sessions open on the manager. */
  public long sessionCount() {
    return sessionCount;
  }

  /** Requests the manager has served, from all clients. */
  public long callsServed() {
    return callsServed;
  }

  /** Live objects per type id. */
  public Map<String, Long> objectsByType() {
    return objectsByType;
  }

  @Override
  public String toString() {
    return "ManagerStats{roundTrips="
        + roundTrips
        + ", requestMessages="
        + requestMessages
        + ", bytesSent="
        + bytesSent
        + ", bytesReceived="
        + bytesReceived
        + ", objectCount="
        + objectCount
        + ", sessionCount="
        + sessionCount
        + ", callsServed="
        + callsServed
        + ", objectsByType="
        + objectsByType
        + "}";
  }
}
