package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;

class SmokeChildTest {
  @Test
  void child() throws Exception {
    long s = System.nanoTime();
    try (Manager m = Manager.start()) {
      System.out.println("start ms: " + (System.nanoTime() - s) / 1e6);
      SharedList<Integer> l = m.list();
      for (int round = 0; round < 5; round++) {
        long t0 = System.nanoTime();
        int n = 20000;
        for (int i = 0; i < n; i++) {
          l.size();
        }
        System.out.println("size() RT us: " + (System.nanoTime() - t0) / 1000.0 / n);
      }
      assertEquals(0, l.size());
    }
  }
}
