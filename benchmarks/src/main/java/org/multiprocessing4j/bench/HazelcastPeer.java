package org.multiprocessing4j.bench;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IList;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.crdt.pncounter.PNCounter;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Hazelcast client of the one-member cluster {@link HazelcastMember} runs: IList, IMap, IQueue,
 * and a PNCounter as the atomic counter. IAtomicLong lives in the CP subsystem, which the open
 * source Hazelcast 5.7 refuses ("CP subsystem is an Enterprise feature"); PNCounter is the counter
 * it keeps, one round trip per increment like INCR, and exact on a single member.
 */
final class HazelcastPeer implements Peer {
  /** Held: JUL keeps only weak references to its loggers, and a collected one loses its level. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private final HazelcastInstance client;

  private HazelcastPeer(HazelcastInstance client) {
    this.client = client;
  }

  /** {@code HOST:PORT/CLUSTER}, as {@link HazelcastMember} printed it. */
  static HazelcastPeer connect(String where) {
    int slash = where.indexOf('/');
    ClientConfig config = new ClientConfig();
    config.setClusterName(where.substring(slash + 1));
    config.getNetworkConfig().addAddress(where.substring(0, slash));
    quietLogging(config.getProperties());
    return new HazelcastPeer(HazelcastClient.newHazelcastClient(config));
  }

  /** Warnings only: its INFO lines would bury the benchmark's own output on standard error. */
  static void quietLogging(java.util.Properties properties) {
    properties.setProperty("hazelcast.logging.type", "jdk");
    HAZELCAST_LOG.setLevel(Level.WARNING);
  }

  @Override
  public Ints list(String name) {
    IList<Integer> list = client.getList(name);
    return new Ints() {
      @Override
      public void add(int value) {
        list.add(value);
      }

      @Override
      public void addAll(List<Integer> values) {
        list.addAll(values);
      }

      @Override
      public int get(int index) {
        return list.get(index);
      }

      @Override
      public int size() {
        return list.size();
      }

      @Override
      public List<Integer> copy() {
        return new ArrayList<>(list); // toArray: one call for the whole list
      }
    };
  }

  @Override
  public Dict dict(String name) {
    IMap<Integer, Integer> map = client.getMap(name);
    return new Dict() {
      @Override
      public void put(int key, int value) {
        map.put(key, value);
      }

      @Override
      public void putAll(Map<Integer, Integer> entries) {
        map.putAll(entries);
      }

      @Override
      public Integer get(int key) {
        return map.get(key);
      }

      @Override
      public int size() {
        return map.size();
      }
    };
  }

  @Override
  public Queue queue(String name) {
    IQueue<Integer> queue = client.getQueue(name);
    return new Queue() {
      @Override
      public void put(int value) throws InterruptedException {
        queue.put(value);
      }

      @Override
      public int take() throws InterruptedException {
        return queue.take();
      }

      @Override
      public int size() {
        return queue.size();
      }
    };
  }

  @Override
  public Counter counter(String name) {
    PNCounter counter = client.getPNCounter(name);
    return new Counter() {
      @Override
      public long incrementAndGet() {
        return counter.incrementAndGet();
      }

      @Override
      public long get() {
        return counter.get();
      }
    };
  }

  @Override
  public String product() {
    return "hazelcast";
  }

  @Override
  public String serverVersion() {
    return member().getVersion().toString();
  }

  @Override
  public long serverPid() {
    return Long.parseLong(member().getAttribute(HazelcastMember.PID_ATTRIBUTE));
  }

  private Member member() {
    return client.getCluster().getMembers().iterator().next();
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
