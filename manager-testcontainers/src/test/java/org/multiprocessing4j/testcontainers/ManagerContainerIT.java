package org.multiprocessing4j.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.testcontainers.ContainerClientMain.encode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedQueue;
import org.multiprocessing4j.internal.launch.JvmLauncher;
import org.testcontainers.utility.DockerImageName;

/** Runs the manager image with Testcontainers. Fails (never skips) when Docker is unavailable. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ManagerContainerIT {
  private static final String AUTHKEY = "container-secret";

  private static ManagerContainer container() {
    return new ManagerContainer(
            DockerImageName.parse(
                System.getProperty("manager.image", ManagerContainer.DEFAULT_IMAGE)))
        .withAuthkey(AUTHKEY);
  }

  @Test
  void clientsShareAListAndAQueueThroughTheContainer() throws Exception {
    try (ManagerContainer manager = container()) {
      manager.start();
      try (Manager producer = manager.connect();
          Manager consumer = manager.connect()) {
        SharedList<String> list = producer.list();
        SharedQueue<String> queue = producer.queue(4);
        list.add("from the producer");
        queue.put("hello");
        // The consumer reaches the same objects through a proxy reference.
        SharedList<Object> shared = consumer.list(List.<Object>of(list, queue));
        @SuppressWarnings("unchecked")
        SharedList<String> seen = (SharedList<String>) shared.get(0);
        @SuppressWarnings("unchecked")
        SharedQueue<String> seenQueue = (SharedQueue<String>) shared.get(1);
        assertEquals(List.of("from the producer"), seen.copy());
        assertEquals("hello", seenQueue.take());
        seen.add("from the consumer");
        assertEquals(List.of("from the producer", "from the consumer"), list.copy());
      }
    }
  }

  @Test
  void twoClientJvmsShareAListAndAQueueThroughTheContainer() throws Exception {
    int n = 200;
    try (ManagerContainer manager = container()) {
      manager.start();
      try (Manager m = manager.connect()) {
        SharedList<String> list = m.list();
        SharedQueue<Integer> queue = m.queue(8); // bounded: the producer waits on the consumer
        Process consumer = clientJvm(manager, "consumer", encode(list), encode(queue));
        Process producer =
            clientJvm(manager, "producer", Integer.toString(n), encode(list), encode(queue));
        assertTrue(producer.waitFor(60, TimeUnit.SECONDS), "producer JVM did not finish");
        assertTrue(consumer.waitFor(60, TimeUnit.SECONDS), "consumer JVM did not finish");
        assertEquals(0, producer.exitValue(), "producer JVM failed");
        assertEquals(0, consumer.exitValue(), "consumer JVM failed");

        List<String> entries = list.copy();
        List<String> produced = new ArrayList<>();
        List<String> consumed = new ArrayList<>();
        for (String entry : entries) {
          (entry.startsWith("produced ") ? produced : consumed).add(entry);
        }
        List<String> expectedProduced = new ArrayList<>();
        List<String> expectedConsumed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          expectedProduced.add("produced " + i);
          expectedConsumed.add("consumed " + i);
        }
        // Every item crossed the queue exactly once, in order, between two other processes.
        assertEquals(expectedProduced, produced);
        assertEquals(expectedConsumed, consumed);
        assertEquals(0, queue.size());
      }
    }
  }

  /** A client JVM on this host: same Java and class path, connected through the environment. */
  private static Process clientJvm(ManagerContainer manager, String... args) throws Exception {
    return JvmLauncher.mainClass(ContainerClientMain.class)
        .arguments(args)
        .environment(Manager.ENV_MANAGER, manager.getTarget())
        .environment(Manager.ENV_AUTHKEY, AUTHKEY)
        .input(ProcessBuilder.Redirect.INHERIT)
        .output(ProcessBuilder.Redirect.INHERIT)
        .error(ProcessBuilder.Redirect.INHERIT)
        .start()
        .process();
  }

  @Test
  void wrongAuthkeyIsRefused() {
    try (ManagerContainer manager = container()) {
      manager.start();
      ManagerException e =
          assertThrows(ManagerException.class, () -> Manager.connect(manager.getTarget(), "wrong"));
      assertEquals(ManagerException.Code.AUTHENTICATION_FAILED, e.code());
    }
  }

  @Test
  void stoppingTheContainerFailsClientsFast() throws Exception {
    ManagerContainer manager = container();
    manager.start();
    try (Manager m = manager.connect()) {
      SharedList<Integer> list = m.list();
      list.add(1);
      manager.stop();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      ManagerUnavailableException failure = null;
      while (failure == null && System.nanoTime() < deadline) {
        try {
          var unused = list.size(); // fails once the manager is gone
          Thread.sleep(50);
        } catch (ManagerUnavailableException e) {
          failure = e;
        }
      }
      assertTrue(failure != null, "calls kept succeeding after the container stopped");
    } finally {
      manager.close();
    }
  }
}
