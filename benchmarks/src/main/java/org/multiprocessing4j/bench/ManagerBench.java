package org.multiprocessing4j.bench;

import static org.multiprocessing4j.bench.Measurements.check;
import static org.multiprocessing4j.bench.Measurements.emit;
import static org.multiprocessing4j.bench.Measurements.map;
import static org.multiprocessing4j.bench.Measurements.merge;
import static org.multiprocessing4j.bench.Measurements.range;
import static org.multiprocessing4j.bench.Measurements.report;
import static org.multiprocessing4j.bench.Measurements.seconds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.multiprocessing4j.AsyncSharedList;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedObject;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.bench.Measurements.Runs;
import org.multiprocessing4j.bench.Measurements.Workload;
import org.multiprocessing4j.pool.ProcessPool;

/**
 * The workloads of {@code ../shared/bench/python_manager_bench.py}, in Java against our manager,
 * printing the same JSON lines ({@code bench}, {@code clients}, {@code ops}, median {@code
 * seconds}, {@code us_per_op}, {@code ops_per_s}, every run in {@code runs_s}) so {@code
 * benchmarks/compare} can put them side by side; plus the workloads Python's script has no line for
 * (atomic increment, pipelined calls, proxy creation, start-up, memory).
 *
 * <p>The manager runs in its own JVM; multi-process workloads use separate client JVMs ({@link
 * BenchWorker}). Single-client loops run once untimed first: the JIT compiles the client's hot path
 * (Python has no such phase; JVM start-up is measured on its own line).
 *
 * <p>Arguments: {@code --tcp} (default: Unix domain socket, as Python's default AF_UNIX), {@code
 * --reps n} (default 3), {@code --quick} (fewer operations: a smoke run), {@code --only
 * bench,bench} (just these workloads, by their {@code bench} names), {@code --clients 4,8} (the
 * process counts of the multi-process and pool workloads; default 1,2,4,8). The system property
 * {@code mp4j.bench.workerJvmOptions} gives client processes and pool workers JVM options ({@link
 * Jvm#workerOptions}).
 */
public final class ManagerBench {
  // Workload sizes, shared with PeerBench so that its lines compare one to one.
  static final int[] CLIENT_COUNTS = {1, 2, 4, 8};
  static final int LIST_LENGTH = 10_000;
  static final int GET_LIST_LENGTH = 1_000;

  /** Untimed runs of {@link #sliceCopies} copies before the timed ones: see {@link #listCopies}. */
  private static final int COPY_UNTIMED_RUNS = 15;

  /**
   * Untimed pool maps before the timed ones. The compilers of the three JVMs use about 1.2 s of CPU
   * over the first 60 maps on two CPUs, about 15 ms of work each; after 5 maps a map ran at 3 to 4M
   * tasks/s, after 40 at 6 to 8M (one afternoon's measurements, same code).
   */
  private static final int POOL_MAP_UNTIMED_ROUNDS = 40;

  /** {@link #poolCompute}: tasks per map, tasks per chunk, maps (the first one cold). */
  private static final int COMPUTE_TASKS = 200;

  private static final int COMPUTE_CHUNK = 10;
  private static final int COMPUTE_ROUNDS = 4;

  private static final String POOL_WORKER_MAIN = "org.multiprocessing4j.pool.WorkerMain";
  private static final String STARTED_MANAGER_MAIN =
      "org.multiprocessing4j.server.ChildManagerMain";

  static int operations(boolean quick) {
    return quick ? 2_000 : 20_000;
  }

  static int sliceCopies(boolean quick) {
    return quick ? 20 : 200;
  }

  private final Manager m;
  private final ManagerProcess manager;
  private final int reps;
  private final int n;
  private final int lockedIters;
  private final int iterLen;
  private final int sliceCopies;
  private final int poolMapUntimedRounds;
  private final Set<String> only;
  private final int[] clientCounts;

  private ManagerBench(
      Manager m,
      ManagerProcess manager,
      int reps,
      boolean quick,
      Set<String> only,
      int[] clientCounts) {
    this.m = m;
    this.only = only;
    this.clientCounts = clientCounts;
    this.manager = manager;
    this.reps = reps;
    this.n = operations(quick);
    this.lockedIters = quick ? 500 : 5_000;
    this.iterLen = LIST_LENGTH;
    this.sliceCopies = sliceCopies(quick);
    this.poolMapUntimedRounds = quick ? 1 : POOL_MAP_UNTIMED_ROUNDS;
  }

  public static void main(String[] args) throws Exception {
    List<String> options = Arrays.asList(args);
    boolean tcp = options.contains("--tcp");
    boolean quick = options.contains("--quick");
    if (quick) {
      BenchWorker.warmUpLessUnlessSet();
    }
    int reps = 3;
    int at = options.indexOf("--reps");
    if (at >= 0) {
      reps = Integer.parseInt(options.get(at + 1));
    }
    at = options.indexOf("--only");
    Set<String> only = at < 0 ? Set.of() : Set.of(options.get(at + 1).split(","));
    at = options.indexOf("--clients");
    int[] clientCounts =
        at < 0
            ? CLIENT_COUNTS
            : Arrays.stream(options.get(at + 1).split(",")).mapToInt(Integer::parseInt).toArray();
    String authkey = UUID.randomUUID().toString();
    Path socketDir = Files.createTempDirectory("mp4j-bench");
    Path socket = tcp ? null : socketDir.resolve("manager.sock");
    try (ManagerProcess manager = ManagerProcess.start(authkey, socket);
        Manager m = Manager.connect(manager.target, authkey)) {
      emit(
          map(
              "meta",
              "env",
              "java",
              System.getProperty("java.version"),
              "manager_address",
              manager.target,
              "family",
              tcp ? "AF_INET" : "AF_UNIX",
              "nproc",
              Runtime.getRuntime().availableProcessors(),
              "reps",
              reps));
      new ManagerBench(m, manager, reps, quick, only, clientCounts).runAll(socket);
    } finally {
      Files.deleteIfExists(socketDir.resolve("manager.sock"));
      Files.deleteIfExists(socketDir);
    }
  }

  private void runAll(Path socket) throws Exception {
    warmUpCallPath();
    single("list_append", n, 1, this::listAppend);
    single("list_getitem", n, 1, this::listGet);
    single("list_len", n, 1, this::listSize);
    single("dict_setitem", n, 1, this::dictPut);
    single("dict_getitem", n, 1, this::dictGet);
    single("value_incr_locked", lockedIters, 4, this::valueIncrementLocked);
    single("value_add_and_get", n, 1, this::valueAddAndGet);
    if (wanted("cpu_hog_getitem")) {
      cpuHogGet();
    }
    if (wanted("list_iterate")) {
      report(
          "list_iterate",
          1,
          iterLen,
          timed(this::listIterate),
          map(
              "round_trips", iterLen / SharedList.ITERATION_CHUNK + 1,
              "note",
                  "ops = elements; the iterator fetches "
                      + SharedList.ITERATION_CHUNK
                      + " elements per round trip"));
    }
    if (wanted("list_slice_copy")) {
      listCopies();
    }
    if (wanted("async_list_append")) {
      report(
          "async_list_append",
          1,
          n * 10,
          timed(this::asyncAppend),
          map("in_flight", 256, "note", "list.async().add with up to 256 calls in flight"));
    }
    if (wanted("proxy_create")) {
      report(
          "proxy_create",
          1,
          n / 10,
          timed(this::proxyCreate),
          map("note", "m.list() then the proxy is dropped (its release is one message)"));
    }
    if (wanted("queue_put_get")) {
      attempt("queue_put_get", 2, this::queuePutGet);
    }
    if (wanted("concurrent_append")) {
      for (int k : clientCounts) {
        attempt("concurrent_append", k, () -> concurrentAppend(k));
      }
    }
    if (wanted("pool_append")) {
      for (int k : clientCounts) {
        int chunksize = -Math.floorDiv(-n, 4 * k);
        attempt("pool_append", k, () -> poolAppend(k, chunksize, n));
      }
      attempt("pool_append", 2, () -> poolAppend(2, 1, n / 10));
    }
    if (only.contains("pool_compute")) { // only when named: it compares worker JVM options
      attempt("pool_compute", 2, () -> poolCompute(2));
    }
    if (wanted("pool_map_trivial")) {
      poolMapTrivial(2, n * 5);
    }
    if (wanted("pool_startup")) {
      poolStartup(2);
      poolStartup(4);
    }
    if (wanted("manager_startup")) {
      managerStartup();
    }
    if (wanted("process_startup")) {
      ProcessBench.processStartup(reps);
    }
    if (wanted("deposit_withdraw")) {
      ProcessBench.depositWithdraw(reps);
    }
    if (wanted("memory_list_1m_ints")) {
      memory(socket);
    }
  }

  /** A workload that starts processes. */
  private interface Step {
    void run() throws Exception;
  }

  /**
   * Runs a multi-process workload; if it fails (a worker JVM that could not connect on a loaded
   * machine, say), prints why, emits an {@code error} line for it instead of figures and goes on
   * with the next: one failure does not cost the rest of a run of tens of minutes. {@code
   * report.py} lists the failed rows.
   */
  private static void attempt(String bench, int clients, Step step) throws InterruptedException {
    try {
      step.run();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      System.err.println(bench + " with " + clients + " processes failed:");
      e.printStackTrace();
      emit(map("bench", bench, "clients", clients, "error", e.toString()));
    }
  }

  /** Whether {@code --only} left this workload in (every workload without it). */
  private boolean wanted(String bench) {
    return only.isEmpty() || only.contains(bench);
  }

  private void queuePutGet() throws Exception {
    List<Double> queueRuns = new ArrayList<>();
    Map<String, Object> queueCpu = new LinkedHashMap<>();
    for (int r = 0; r < reps; r++) {
      SharedQueue<Integer> q = m.queue();
      queueRuns.add(processes(List.of(job("put", q, n), job("get", q, n)), queueCpu));
      check(q.isEmpty(), "queue not drained");
    }
    report(
        "queue_put_get",
        2,
        n,
        queueRuns,
        merge(
            queueCpu,
            map(
                "verified",
                true,
                "note",
                "1 producer + 1 consumer process; ops = items; each item = put + take call")));
  }

  private void concurrentAppend(int k) throws Exception {
    List<Double> runs = new ArrayList<>();
    Map<String, Object> cpu = new LinkedHashMap<>();
    for (int r = 0; r < reps; r++) {
      SharedList<Integer> list = m.list();
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        jobs.add(job("append", list, n / k));
      }
      runs.add(processes(jobs, cpu));
      check(list.size() == n / k * k, "lost appends");
    }
    report("concurrent_append", k, n / k * k, runs, merge(cpu, map("verified", true)));
  }

  // --- single-client workloads; each returns the seconds of its timed loop

  /**
   * A single-client loop, with the CPU time per operation of this client JVM (every thread of it)
   * and of the manager JVM: medians of the timed runs, as the seconds.
   */
  private void single(String bench, int ops, int callsPerOp, Workload workload) throws Exception {
    if (!wanted(bench)) {
      return;
    }
    List<Double> clientCpu = new ArrayList<>();
    List<Double> managerCpu = new ArrayList<>();
    List<Double> runs =
        timed(
            () -> {
              long client0 = ClientProcesses.cpuNanos();
              long manager0 = manager.cpuNanos();
              double dt = workload.run();
              clientCpu.add((ClientProcesses.cpuNanos() - client0) / 1e3 / ops);
              managerCpu.add((manager.cpuNanos() - manager0) / 1e3 / ops);
              return dt;
            });
    // The first run is the untimed one.
    report(
        bench,
        1,
        ops,
        runs,
        map(
            "proxy_calls_per_op",
            callsPerOp,
            "client_cpu_us_per_op",
            Measurements.round(median(clientCpu.subList(1, clientCpu.size())), 1),
            "manager_cpu_us_per_op",
            Measurements.round(median(managerCpu.subList(1, managerCpu.size())), 1)));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  /**
   * One blocking call's latency (a list get, as {@code list_getitem}) without and with a busy loop
   * pinned to CPU 0 ({@link CpuHog}), alternating, medians of each: how much a process hogging one
   * core slows a call. Python's {@code python_targets.py} measures its manager the same way.
   */
  private void cpuHogGet() throws Exception {
    List<Double> quiet = new ArrayList<>();
    List<Double> hogged = new ArrayList<>();
    listGet(); // untimed: the JIT compiles the client's hot path
    for (int r = 0; r < reps; r++) {
      quiet.add(listGet());
      CpuHog hog = CpuHog.onCpu0();
      try {
        hogged.add(listGet());
      } finally {
        hog.close();
      }
    }
    report(
        "cpu_hog_getitem",
        1,
        n,
        hogged,
        map(
            "quiet_us_per_op",
            Measurements.round(median(quiet) / n * 1e6, 2),
            "quiet_runs_s",
            quiet,
            "rise",
            Measurements.round(median(hogged) / median(quiet), 2),
            "hog",
            CpuHog.DESCRIPTION));
  }

  private List<Double> timed(Workload workload) throws Exception {
    return Measurements.timed(reps, workload);
  }

  /**
   * Compiles the call path (this JVM's and the manager's) before the first timed row, as each
   * client JVM of the multi-process rows warms up before its loop ({@link BenchWorker}): without it
   * the first rows time the compilers (list_append, the first row, used 2-3x list_getitem's CPU per
   * call).
   */
  private void warmUpCallPath() throws InterruptedException {
    SharedList<Integer> scratch = m.list();
    int operations = 5 * BenchWorker.warmUpOperations();
    for (int i = 0; i < operations; i++) {
      scratch.add(i);
      scratch.get(i);
    }
    scratch.clear();
    BenchWorker.letCompilationsFinish();
  }

  private double listAppend() {
    SharedList<Integer> list = m.list();
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    double dt = seconds(t);
    check(list.size() == n, "list_append lost elements");
    return dt;
  }

  private double listGet() {
    SharedList<Integer> list = m.list(range(GET_LIST_LENGTH));
    int size = list.size();
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      list.get(i % size);
    }
    return seconds(t);
  }

  // size() is the round trip measured; its value is not needed
  @SuppressWarnings("ReturnValueIgnored")
  private double listSize() {
    SharedList<Integer> list = m.list(range(GET_LIST_LENGTH));
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      list.size();
    }
    return seconds(t);
  }

  private double dictPut() {
    SharedMap<Integer, Integer> map = m.dict();
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      map.put(i, i);
    }
    double dt = seconds(t);
    check(map.size() == n, "dict_setitem lost entries");
    return dt;
  }

  private double dictGet() {
    Map<Integer, Integer> initial = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      initial.put(i, 0);
    }
    SharedMap<Integer, Integer> map = m.dict(initial);
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      map.get(i);
    }
    return seconds(t);
  }

  /** Python's {@code with lock: v.value += 1}: lock, get, set, unlock. */
  private double valueIncrementLocked() {
    SharedValue<Integer> value = m.value(0);
    SharedLock lock = m.lock();
    long t = System.nanoTime();
    for (int i = 0; i < lockedIters; i++) {
      lock.lock();
      try {
        value.set(value.get() + 1);
      } finally {
        lock.unlock();
      }
    }
    double dt = seconds(t);
    check(value.get() == lockedIters, "locked increments lost");
    return dt;
  }

  private double valueAddAndGet() {
    SharedValue<Integer> value = m.value(0);
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      value.addAndGet(1);
    }
    double dt = seconds(t);
    check(value.get() == n, "addAndGet lost increments");
    return dt;
  }

  private double listIterate() {
    SharedList<Integer> list = m.list(range(iterLen));
    long t = System.nanoTime();
    long sum = 0;
    for (int x : list) {
      sum += x;
    }
    double dt = seconds(t);
    check(sum == (long) iterLen * (iterLen - 1) / 2, "iteration missed elements");
    return dt;
  }

  /**
   * Copies of the whole list, timed once a copy costs what it will from then on: until about 2,000
   * copies the JIT compilers of the client and of the manager use more CPU than the copies
   * (measured on two CPUs: 1 to 3 ms a copy after 200, 0.4 to 0.6 ms after 3,000). The first run's
   * figure is kept beside the steady one.
   */
  private void listCopies() throws Exception {
    Runs runs = Measurements.afterUntimed(COPY_UNTIMED_RUNS, reps, this::listCopy);
    report(
        "list_slice_copy",
        1,
        sliceCopies,
        runs.timed,
        map(
            "elements",
            iterLen,
            "proxy_calls_per_op",
            1,
            "untimed_copies",
            COPY_UNTIMED_RUNS * sliceCopies,
            "first_run_us_per_op",
            Measurements.round(runs.first / sliceCopies * 1e6, 2),
            "note",
            "us_per_op = one copy() of the whole list"));
  }

  private double listCopy() {
    SharedList<Integer> list = m.list(range(iterLen));
    long t = System.nanoTime();
    for (int i = 0; i < sliceCopies; i++) {
      check(list.copy().size() == iterLen, "short copy");
    }
    return seconds(t);
  }

  // the stage only releases the window
  @SuppressWarnings("FutureReturnValueIgnored")
  private double asyncAppend() throws Exception {
    SharedList<Integer> list = m.list();
    AsyncSharedList<Integer> async = list.async();
    int ops = n * 10;
    Semaphore window = new Semaphore(256);
    long t = System.nanoTime();
    CompletableFuture<Boolean> last = null;
    for (int i = 0; i < ops; i++) {
      window.acquire();
      last = async.add(i);
      last.whenComplete((ok, e) -> window.release());
    }
    last.get();
    window.acquire(256);
    double dt = seconds(t);
    check(list.size() == ops, "async appends lost");
    return dt;
  }

  private double proxyCreate() {
    int ops = n / 10;
    long t = System.nanoTime();
    for (int i = 0; i < ops; i++) {
      m.list();
    }
    return seconds(t);
  }

  // --- several client processes

  private static final class Job {
    final String kind;
    final SharedObject proxy;
    final int n;

    Job(String kind, SharedObject proxy, int n) {
      this.kind = kind;
      this.proxy = proxy;
      this.n = n;
    }
  }

  private static Job job(String kind, SharedObject proxy, int n) {
    return new Job(kind, proxy, n);
  }

  /** One client JVM per job, released together (Python's {@code run_procs}); seconds. */
  private double processes(List<Job> jobs, Map<String, Object> cpu) throws Exception {
    List<ClientProcesses.Client> clients = new ArrayList<>();
    for (Job job : jobs) {
      clients.add(
          new ClientProcesses.Client(
              BenchWorker.class.getName(),
              List.of(job.kind, Integer.toString(job.n), BenchWorker.encode(job.proxy)),
              job.n));
    }
    return ClientProcesses.run(clients, m.childEnvironment(), manager::cpuNanos, cpu);
  }

  private void poolAppend(int k, int chunksize, int ops) throws Exception {
    List<Double> runs = new ArrayList<>();
    long lowestWorkerCpu = Long.MAX_VALUE;
    Map<String, Object> workerCpu = Map.of();
    List<Integer> inputs = range(ops);
    for (int r = 0; r < reps; r++) {
      SharedList<Integer> list = m.list();
      try (ProcessPool pool =
          ProcessPool.builder()
              .processes(k)
              .manager(m)
              .jvmOptions(Jvm.workerOptions().toArray(String[]::new))
              .start()) {
        // Workers up and their append path compiled before the clock, as in a long-lived pool.
        SharedList<Integer> scratch = m.list();
        pool.map(i -> scratch.add(i), inputs, chunksize);
        List<Long> workers = poolWorkerPids();
        List<ThreadCpu.Snapshot> before = new ArrayList<>();
        for (long pid : workers) {
          before.add(ThreadCpu.snapshot(pid));
        }
        long t = System.nanoTime();
        pool.map(i -> list.add(i), inputs, chunksize);
        runs.add(seconds(t));
        Map<ThreadCpu.Category, Long> used = new EnumMap<>(ThreadCpu.Category.class);
        for (int w = 0; w < workers.size(); w++) {
          used = ThreadCpu.sum(used, ThreadCpu.snapshot(workers.get(w)).since(before.get(w)));
        }
        long usedNanos = used.values().stream().mapToLong(Long::longValue).sum();
        if (usedNanos < lowestWorkerCpu) {
          lowestWorkerCpu = usedNanos;
          workerCpu = ThreadCpu.perOperation(used, ops, "worker_");
        }
      }
      check(list.size() == ops, "pool appends lost");
    }
    report(
        "pool_append",
        k,
        ops,
        runs,
        merge(workerCpu, map("chunksize", chunksize, "verified", true)));
  }

  /** This JVM's pool workers: its child JVMs running the pool's worker main class. */
  private static List<Long> poolWorkerPids() {
    return ProcessHandle.current()
        .children()
        .filter(child -> ManagerProcess.Proc.runs(child.pid(), POOL_WORKER_MAIN))
        .map(ProcessHandle::pid)
        .collect(java.util.stream.Collectors.toList());
  }

  /** Python's {@code pool.map(abs, range(n))} with the default chunk size: tasks per second. */
  private void poolMapTrivial(int k, int ops) throws Exception {
    List<Integer> inputs = range(ops);
    // Untimed rounds first (POOL_MAP_UNTIMED_ROUNDS): until then the JIT of the parent and of each
    // worker costs more CPU than the tasks. The first round's rate is reported beside the steady
    // one.
    int untimed = poolMapUntimedRounds;
    Runs runs;
    try (ProcessPool pool = ProcessPool.builder().processes(k).start()) {
      pool.map(Math::abs, range(4 * k), 1);
      runs =
          Measurements.afterUntimed(
              untimed,
              reps,
              () -> {
                long t = System.nanoTime();
                List<Integer> out = pool.map(Math::abs, inputs);
                double dt = seconds(t);
                check(out.size() == ops, "short map result");
                return dt;
              });
    }
    report(
        "pool_map_trivial",
        k,
        ops,
        runs.timed,
        map(
            "chunksize",
            "default",
            "untimed_rounds",
            untimed,
            "first_round_ops_per_s",
            ops / runs.first));
  }

  /**
   * The other side of the worker JVM options' trade-off ({@code
   * benchmarks/compare/worker_options}): a pool of fresh workers running tasks that compute
   * (sorting, hashing, a floating-point loop) instead of calling the manager; the first map's time
   * (the workers' compilers still at work) and the later ones'. No Python counterpart: it compares
   * JVM options with each other.
   */
  private void poolCompute(int k) throws Exception {
    List<Integer> inputs = range(COMPUTE_TASKS);
    List<Double> runs = new ArrayList<>();
    try (ProcessPool pool =
        ProcessPool.builder()
            .processes(k)
            .jvmOptions(Jvm.workerOptions().toArray(String[]::new))
            .start()) {
      pool.map(Math::abs, range(4 * k), 1); // workers up before the clock
      for (int round = 0; round < COMPUTE_ROUNDS; round++) {
        long t = System.nanoTime();
        List<Long> out = pool.map(ManagerBench::computeTask, inputs, COMPUTE_CHUNK);
        runs.add(seconds(t));
        check(out.size() == inputs.size(), "short map result");
      }
    }
    report(
        "pool_compute",
        k,
        inputs.size(),
        runs.subList(1, runs.size()),
        map("first_round_s", runs.get(0), "chunksize", COMPUTE_CHUNK));
  }

  /** One {@link #poolCompute} task: a few milliseconds of the kind of work applications do. */
  static long computeTask(int seed) {
    Random random = new Random(seed);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      words.add(Integer.toString(random.nextInt(1_000_000), 36));
    }
    Collections.sort(words);
    Map<Character, Integer> counts = new HashMap<>();
    for (String word : words) {
      counts.merge(word.charAt(0), 1, Integer::sum);
    }
    double sum = 0;
    for (int i = 1; i < 2_000_000; i++) {
      sum += Math.sqrt(i) / (i + seed);
    }
    return counts.size() + (long) sum;
  }

  /** From {@code start()} until every worker answered one task. */
  private void poolStartup(int k) throws Exception {
    startup(
        "pool_startup",
        k,
        () -> {
          long t = System.nanoTime();
          try (ProcessPool pool = ProcessPool.builder().processes(k).start()) {
            pool.map(Math::abs, range(4 * k), 1);
            return seconds(t);
          }
        });
  }

  /** {@code Manager.start()} (a child JVM) until its first answer. */
  // size() is the round trip measured; its value is not needed
  @SuppressWarnings("ReturnValueIgnored")
  private void managerStartup() throws Exception {
    startup(
        "manager_startup",
        1,
        () -> {
          long t = System.nanoTime();
          try (Manager started = Manager.start()) {
            started.list().size();
            return seconds(t);
          }
        });
  }

  /**
   * Times a start-up after one untimed start: the first child JVMs of a class path record its class
   * data archive, every later start maps it (as Python compiles its {@code .pyc} files once). That
   * first start is in the JSON.
   */
  private void startup(String bench, int clients, Workload start) throws Exception {
    Runs runs = Measurements.afterUntimed(1, reps, start);
    report(bench, clients, 1, runs.timed, map("untimed_first_start_s", runs.first));
  }

  /**
   * The resident memory of a manager holding a list of 1,000,000 integers: the manager users get,
   * started by {@code Manager.start()} (its JVM options and class data archive), over this pass's
   * transport.
   */
  // size() is the round trip measured; its value is not needed
  @SuppressWarnings("ReturnValueIgnored")
  private void memory(Path socket) throws Exception {
    int count = 1_000_000;
    Manager.Builder builder = Manager.builder();
    if (socket != null) {
      builder.unixSocket(socket.resolveSibling("memory.sock"));
    }
    try (Manager started = builder.start()) {
      long pid = startedManagerPid();
      SharedList<Integer> list = started.list();
      list.size();
      long before = ManagerProcess.Proc.residentBytes(pid);
      List<Integer> chunk = new ArrayList<>(100_000);
      for (int i = 0; i < count; i++) {
        chunk.add(i);
        if (chunk.size() == 100_000) {
          list.addAll(chunk);
          chunk.clear();
        }
      }
      check(list.size() == count, "short list");
      long after = ManagerProcess.Proc.residentBytes(pid);
      emit(
          map(
              "bench",
              "memory_list_1m_ints",
              "rss_bytes",
              after,
              "rss_before_bytes",
              before,
              "rss_delta_bytes",
              after - before,
              "manager",
              "Manager.start()"));
    }
  }

  /** The child JVM that {@code Manager.start()} launched: the one running its main class. */
  private static long startedManagerPid() {
    return ProcessHandle.current()
        .children()
        .filter(child -> ManagerProcess.Proc.runs(child.pid(), STARTED_MANAGER_MAIN))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no child JVM runs " + STARTED_MANAGER_MAIN))
        .pid();
  }
}
