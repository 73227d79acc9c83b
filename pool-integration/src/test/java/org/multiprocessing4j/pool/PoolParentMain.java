package org.multiprocessing4j.pool;

import java.util.stream.Collectors;

/**
 * A parent JVM for {@link PoolFailureIT}: starts a pool, prints its workers' pids, keeps them busy
 * and waits to be killed.
 */
final class PoolParentMain {
  static final String WORKERS = "POOL_WORKERS ";

  private PoolParentMain() {}

  // the tasks block until the workers are killed: nothing to wait for
  @SuppressWarnings("FutureReturnValueIgnored")
  public static void main(String[] args) throws Exception {
    int processes = Integer.parseInt(args[0]);
    ProcessPool pool =
        ProcessPool.builder()
            .processes(processes)
            .jvmOptions(ProcessPoolConformanceTest.TEST_JVM)
            .start();
    for (int i = 0; i < processes; i++) {
      pool.applyAsync(
          () -> {
            Tasks.blockUntilInterrupted();
            return 0;
          });
    }
    System.out.println(
        WORKERS
            + ((PoolImpl) pool)
                .workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
    Tasks.blockUntilInterrupted(); // until killed
  }
}
