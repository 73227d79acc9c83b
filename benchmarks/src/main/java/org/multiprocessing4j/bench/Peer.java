package org.multiprocessing4j.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A store users would pick instead of a manager ({@link RedisPeer}, {@link HazelcastPeer}), seen
 * through the few operations {@link PeerBench} and {@link PeerWorker} time. Objects are named: a
 * name reaches the same object from every process.
 *
 * <p>A peer is addressed by one string, passed to worker processes on their command line: {@code
 * redis-tcp=HOST:PORT}, {@code redis-unix=PATH} or {@code hazelcast=HOST:PORT/CLUSTER}.
 */
interface Peer extends AutoCloseable {

  /** A list of ints. */
  interface Ints {
    void add(int value);

    /** In one round trip. */
    void addAll(List<Integer> values);

    int get(int index);

    int size();

    /** The whole list, in one round trip. */
    List<Integer> copy();
  }

  /** A map from int to int. */
  interface Dict {
    void put(int key, int value);

    /** In one round trip. */
    void putAll(Map<Integer, Integer> entries);

    Integer get(int key);

    int size();
  }

  /** A blocking queue of ints. */
  interface Queue {
    void put(int value) throws InterruptedException;

    int take() throws InterruptedException;

    int size();
  }

  /** An atomic counter. */
  interface Counter {
    long incrementAndGet();

    long get();
  }

  Ints list(String name);

  Dict dict(String name);

  Queue queue(String name);

  Counter counter(String name);

  /** {@code redis} or {@code hazelcast}. */
  String product();

  /** The server's version, as it reports it. */
  String serverVersion();

  /** The server's process id, on this machine, for its CPU time. */
  long serverPid();

  @Override
  void close();

  static Peer connect(String address) throws IOException {
    int eq = address.indexOf('=');
    String kind = eq < 0 ? address : address.substring(0, eq);
    String where = address.substring(eq + 1);
    return switch (kind) {
      case "redis-tcp" -> RedisPeer.tcp(where);
      case "redis-unix" -> RedisPeer.unix(where);
      case "hazelcast" -> HazelcastPeer.connect(where);
      default -> throw new IllegalArgumentException("unknown peer address " + address);
    };
  }
}
