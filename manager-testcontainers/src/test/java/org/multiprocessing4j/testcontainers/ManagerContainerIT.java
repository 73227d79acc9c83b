package org.multiprocessing4j.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.ManagerUnavailableException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedQueue;
import org.testcontainers.utility.DockerImageName;

/** Runs the manager image with Testcontainers. Fails (never skips) when Docker is unavailable. */
class ManagerContainerIT {
  private static ManagerContainer container() {
    return new ManagerContainer(
            DockerImageName.parse(System.getProperty("manager.image", ManagerContainer.DEFAULT_IMAGE)))
        .withAuthkey("container-secret");
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
          list.size();
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
