package org.multiprocessing4j.bench;

import static org.multiprocessing4j.bench.Measurements.check;
import static org.multiprocessing4j.bench.Measurements.emit;
import static org.multiprocessing4j.bench.Measurements.map;
import static org.multiprocessing4j.bench.Measurements.merge;
import static org.multiprocessing4j.bench.Measurements.range;
import static org.multiprocessing4j.bench.Measurements.report;
import static org.multiprocessing4j.bench.Measurements.seconds;
import static org.multiprocessing4j.bench.Measurements.timed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.multiprocessing4j.bench.Measurements.Workload;

/**
 * {@link ManagerBench}'s workloads that users could run on what they would pick instead of a
 * manager: a local Redis (Jedis) or a Hazelcast member in its own JVM (a Hazelcast client). Same
 * bench names, sizes and JSON fields, so {@code benchmarks/compare/report.py} puts them in the same
 * rows; each line names the peer's operation in {@code operation}.
 *
 * <p>Arguments: one of {@code --redis-tcp HOST:PORT}, {@code --redis-unix PATH} (a running scratch
 * redis-server: the benchmark's keys stay; {@code benchmarks/compare/run --peers} starts and stops
 * one) or {@code --hazelcast} (starts its own member); and {@code --reps n} (default 3), {@code
 * --quick} (fewer operations).
 */
public final class PeerBench {
  private final Peer peer;
  private final String address;
  private final ClientProcesses.ServerCpu serverCpu;
  private final int reps;
  private final int n;
  private final int sliceCopies;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private int names;

  private PeerBench(Peer peer, String address, int reps, boolean quick) {
    this.peer = peer;
    this.address = address;
    long pid = peer.serverPid();
    this.serverCpu = () -> ManagerProcess.Proc.cpuNanos(pid);
    this.reps = reps;
    this.n = ManagerBench.operations(quick);
    this.sliceCopies = ManagerBench.sliceCopies(quick);
  }

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    boolean quick = options.contains("--quick");
    if (quick) {
      BenchWorker.warmUpLessUnlessSet();
    }
    int reps = options.contains("--reps") ? Integer.parseInt(value(options, "--reps")) : 3;
    ManagerProcess member = null;
    String address;
    String family = "AF_INET";
    if (options.contains("--redis-tcp")) {
      address = "redis-tcp=" + value(options, "--redis-tcp");
    } else if (options.contains("--redis-unix")) {
      address = "redis-unix=" + value(options, "--redis-unix");
      family = "AF_UNIX";
    } else if (options.contains("--hazelcast")) {
      String cluster = "mp4j-bench-" + UUID.randomUUID();
      member = ManagerProcess.launch(HazelcastMember.launcher(cluster), HazelcastMember.READY);
      address = "hazelcast=" + member.target;
    } else {
      System.err.println(
          "usage: PeerBench --redis-tcp HOST:PORT | --redis-unix PATH | --hazelcast"
              + " [--reps n] [--quick]");
      System.exit(2);
      return;
    }
    try (Peer peer = Peer.connect(address)) {
      emit(
          map(
              "meta",
              "env",
              "java",
              System.getProperty("java.version"),
              "peer",
              peer.product(),
              "server_version",
              peer.serverVersion(),
              "manager_address",
              address,
              "family",
              family,
              "nproc",
              Runtime.getRuntime().availableProcessors(),
              "reps",
              reps));
      new PeerBench(peer, address, reps, quick).runAll();
    } finally {
      if (member != null) {
        member.close();
      }
    }
  }

  private static String value(List<String> options, String option) {
    int at = options.indexOf(option);
    if (at + 1 >= options.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return options.get(at + 1);
  }

  private boolean redis() {
    return peer.product().equals("redis");
  }

  /** The peer's operation behind a line, named for the reader of the JSON. */
  private String op(String redis, String hazelcast) {
    return redis() ? redis : hazelcast;
  }

  /**
   * A fresh object per run: nothing carries over between runs, workloads, or invocations on the
   * same server (compare/run points the unix and the tcp invocation at one redis-server).
   */
  private String name(String bench) {
    return "bench:" + run + ":" + bench + ":" + names++;
  }

  private void runAll() throws Exception {
    single("list_append", op("RPUSH", "IList.add"), this::listAppend);
    single("list_getitem", op("LINDEX", "IList.get"), this::listGet);
    single("list_len", op("LLEN", "IList.size"), this::listSize);
    single("dict_setitem", op("HSET", "IMap.put"), this::dictPut);
    single("dict_getitem", op("HGET", "IMap.get"), this::dictGet);
    report(
        "value_add_and_get",
        1,
        n,
        timed(reps, this::valueAddAndGet),
        map(
            "operation", op("INCR", "PNCounter.incrementAndGet"),
            "note",
                op(
                    "atomic on the server",
                    "IAtomicLong needs the CP subsystem, Enterprise-only in Hazelcast 5.7")));
    report(
        "list_slice_copy",
        1,
        sliceCopies,
        timed(reps, this::listCopy),
        map(
            "elements",
            ManagerBench.LIST_LENGTH,
            "operation",
            op("LRANGE 0 -1", "new ArrayList<>(IList)"),
            "note",
            "us_per_op = one copy of the whole list"));

    List<Double> queueRuns = new ArrayList<>();
    Map<String, Object> queueCpu = new LinkedHashMap<>();
    for (int r = 0; r < reps; r++) {
      String queue = name("queue_put_get");
      queueRuns.add(processes(List.of(client("put", queue, n), client("get", queue, n)), queueCpu));
      check(peer.queue(queue).size() == 0, "queue not drained");
    }
    report(
        "queue_put_get",
        2,
        n,
        queueRuns,
        merge(
            queueCpu,
            map(
                "operation",
                op("RPUSH + BLPOP", "IQueue.put + take"),
                "verified",
                true,
                "note",
                "1 producer + 1 consumer process; ops = items; each item = put + take call")));

    for (int k : ManagerBench.CLIENT_COUNTS) {
      List<Double> runs = new ArrayList<>();
      Map<String, Object> cpu = new LinkedHashMap<>();
      for (int r = 0; r < reps; r++) {
        String list = name("concurrent_append");
        List<ClientProcesses.Client> clients = new ArrayList<>();
        for (int i = 0; i < k; i++) {
          clients.add(client("append", list, n / k));
        }
        runs.add(processes(clients, cpu));
        check(peer.list(list).size() == n / k * k, "lost appends");
      }
      report(
          "concurrent_append",
          k,
          n / k * k,
          runs,
          merge(cpu, map("operation", op("RPUSH", "IList.add"), "verified", true)));
    }
  }

  // --- single-client workloads; each returns the seconds of its timed loop

  private void single(String bench, String operation, Workload workload) throws Exception {
    report(bench, 1, n, timed(reps, workload), map("operation", operation));
  }

  private double listAppend() {
    Peer.Ints list = peer.list(name("list_append"));
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    double dt = seconds(t);
    check(list.size() == n, "list_append lost elements");
    return dt;
  }

  private double listGet() {
    Peer.Ints list = peer.list(name("list_getitem"));
    list.addAll(range(ManagerBench.GET_LIST_LENGTH));
    int size = list.size();
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      list.get(i % size);
    }
    return seconds(t);
  }

  private double listSize() {
    Peer.Ints list = peer.list(name("list_len"));
    list.addAll(range(ManagerBench.GET_LIST_LENGTH));
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      list.size();
    }
    return seconds(t);
  }

  private double dictPut() {
    Peer.Dict dict = peer.dict(name("dict_setitem"));
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      dict.put(i, i);
    }
    double dt = seconds(t);
    check(dict.size() == n, "dict_setitem lost entries");
    return dt;
  }

  private double dictGet() {
    Peer.Dict dict = peer.dict(name("dict_getitem"));
    Map<Integer, Integer> initial = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      initial.put(i, 0);
    }
    dict.putAll(initial);
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      dict.get(i);
    }
    return seconds(t);
  }

  private double valueAddAndGet() {
    Peer.Counter counter = peer.counter(name("value_add_and_get"));
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      counter.incrementAndGet();
    }
    double dt = seconds(t);
    check(counter.get() == n, "increments lost");
    return dt;
  }

  private double listCopy() {
    Peer.Ints list = peer.list(name("list_slice_copy"));
    list.addAll(range(ManagerBench.LIST_LENGTH));
    long t = System.nanoTime();
    for (int i = 0; i < sliceCopies; i++) {
      check(list.copy().size() == ManagerBench.LIST_LENGTH, "short copy");
    }
    return seconds(t);
  }

  // --- several client processes

  private ClientProcesses.Client client(String kind, String name, int ops) {
    return new ClientProcesses.Client(
        PeerWorker.class.getName(), List.of(address, kind, Integer.toString(ops), name), ops);
  }

  private double processes(List<ClientProcesses.Client> clients, Map<String, Object> cpu)
      throws Exception {
    return ClientProcesses.run(clients, Map.of(), serverCpu, cpu);
  }
}
