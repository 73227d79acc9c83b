package org.multiprocessing4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Redis through one Jedis connection per process, as a client that shares a manager proxy's channel
 * would use it: RPUSH, LINDEX, LLEN, LRANGE on a list; HSET, HGET, HLEN on a hash; INCR; RPUSH and
 * BLPOP as a queue. Redis keeps values as strings: ints go out in decimal and are parsed back, as a
 * user storing ints would do.
 */
final class RedisPeer implements Peer {
  private final Jedis jedis;

  private RedisPeer(Jedis jedis) {
    this.jedis = jedis;
  }

  /** {@code HOST:PORT}. */
  static RedisPeer tcp(String hostAndPort) {
    return new RedisPeer(new Jedis(HostAndPort.from(hostAndPort)));
  }

  /** The socket file {@code redis-server --unixsocket} made. */
  static RedisPeer unix(String path) throws IOException {
    // Jedis reads and writes a java.net.Socket, which the JDK cannot open on a Unix domain socket.
    AFUNIXSocketAddress address = AFUNIXSocketAddress.of(Path.of(path));
    JedisSocketFactory sockets =
        () -> {
          try {
            return AFUNIXSocket.connectTo(address);
          } catch (IOException e) {
            throw new JedisConnectionException(e);
          }
        };
    return new RedisPeer(new Jedis(sockets));
  }

  @Override
  public Ints list(String name) {
    return new Ints() {
      @Override
      public void add(int value) {
        jedis.rpush(name, Integer.toString(value));
      }

      @Override
      public void addAll(List<Integer> values) {
        jedis.rpush(name, values.stream().map(String::valueOf).toArray(String[]::new));
      }

      @Override
      public int get(int index) {
        return Integer.parseInt(jedis.lindex(name, index));
      }

      @Override
      public int size() {
        return Math.toIntExact(jedis.llen(name));
      }

      @Override
      public List<Integer> copy() {
        List<String> all = jedis.lrange(name, 0, -1);
        List<Integer> ints = new ArrayList<>(all.size());
        for (String s : all) {
          ints.add(Integer.parseInt(s));
        }
        return ints;
      }
    };
  }

  @Override
  public Dict dict(String name) {
    return new Dict() {
      @Override
      public void put(int key, int value) {
        jedis.hset(name, Integer.toString(key), Integer.toString(value));
      }

      @Override
      public void putAll(Map<Integer, Integer> entries) {
        Map<String, String> strings = new HashMap<>();
        entries.forEach((k, v) -> strings.put(k.toString(), v.toString()));
        jedis.hset(name, strings);
      }

      @Override
      public Integer get(int key) {
        String value = jedis.hget(name, Integer.toString(key));
        return value == null ? null : Integer.valueOf(value);
      }

      @Override
      public int size() {
        return Math.toIntExact(jedis.hlen(name));
      }
    };
  }

  @Override
  public Queue queue(String name) {
    return new Queue() {
      @Override
      public void put(int value) {
        jedis.rpush(name, Integer.toString(value));
      }

      @Override
      public int take() {
        // [key, value]; a timeout of 0 blocks until an element arrives.
        return Integer.parseInt(jedis.blpop(0, name).get(1));
      }

      @Override
      public int size() {
        return Math.toIntExact(jedis.llen(name));
      }
    };
  }

  @Override
  public Counter counter(String name) {
    return new Counter() {
      @Override
      public long incrementAndGet() {
        return jedis.incr(name);
      }

      @Override
      public long get() {
        String value = jedis.get(name);
        return value == null ? 0 : Long.parseLong(value);
      }
    };
  }

  @Override
  public String product() {
    return "redis";
  }

  @Override
  public String serverVersion() {
    return info("server", "redis_version");
  }

  @Override
  public long serverPid() {
    return Long.parseLong(info("server", "process_id"));
  }

  /** One field of {@code INFO section}: lines of {@code field:value}. */
  private String info(String section, String field) {
    for (String line : jedis.info(section).split("\r?\n", -1)) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    throw new IllegalStateException("INFO " + section + " has no " + field);
  }

  @Override
  public void close() {
    jedis.close();
  }
}
