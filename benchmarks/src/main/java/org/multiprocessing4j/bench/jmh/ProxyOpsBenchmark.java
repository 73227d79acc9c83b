package org.multiprocessing4j.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.multiprocessing4j.AsyncSharedList;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.bench.ManagerProcesses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Proxy operations against a manager in its own JVM over a real socket, TCP loopback or a Unix
 * domain socket. Single-threaded by default; {@code -t 4} runs four client threads on one
 * connection (calls multiplex on its stream).
 *
 * <p>Run: {@code java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * org.openjdk.jmh.Main ProxyOpsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProxyOpsBenchmark {
  @Param({"unix", "tcp"})
  public String transport;

  private AutoCloseable managerProcess;
  private Path socketDir;
  private Manager m;
  private SharedList<Integer> list;
  private SharedList<Integer> tenThousand;
  private SharedMap<Integer, Integer> map;
  private SharedValue<Long> counter;
  private SharedList<Integer> appended;
  private AsyncSharedList<Integer> appendTarget;

  @Setup(Level.Trial)
  public void start() throws IOException {
    String key = UUID.randomUUID().toString();
    socketDir = Files.createTempDirectory("mp4j-jmh");
    ManagerProcesses.Started started =
        ManagerProcesses.start(key, transport.equals("unix") ? socketDir.resolve("m.sock") : null);
    managerProcess = started.process;
    m = Manager.connect(started.target, key);
    list = m.list(IntStream.range(0, 1000).boxed().collect(Collectors.toList()));
    tenThousand = m.list(IntStream.range(0, 10_000).boxed().collect(Collectors.toList()));
    map = m.dict();
    for (int i = 0; i < 1000; i++) {
      map.put(i, i);
    }
    counter = m.value(0L);
    appended = m.list();
    appendTarget = appended.async();
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    m.close();
    managerProcess.close();
    Files.deleteIfExists(socketDir.resolve("m.sock"));
    Files.deleteIfExists(socketDir);
  }

  /** Keeps the append target from growing without bound across iterations. */
  @TearDown(Level.Iteration)
  public void trim() {
    appended.clear();
  }

  @Benchmark
  public int listSize() {
    return list.size();
  }

  @Benchmark
  public Integer listGet() {
    return list.get(500);
  }

  @Benchmark
  public Integer mapGet() {
    return map.get(500);
  }

  @Benchmark
  public Long addAndGet() {
    return counter.addAndGet(1L);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public List<Integer> copyTenThousand() {
    return tenThousand.copy();
  }

  /** 256 appends in flight at once; the score is per batch of 256. */
  @Benchmark
  public Object pipelinedAppends256() {
    List<CompletableFuture<Boolean>> batch = new ArrayList<>(256);
    for (int i = 0; i < 256; i++) {
      batch.add(appendTarget.add(i));
    }
    return CompletableFuture.allOf(batch.toArray(new CompletableFuture<?>[0])).join();
  }
}
