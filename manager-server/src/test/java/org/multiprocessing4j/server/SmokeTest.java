package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.SharedLock;
import org.multiprocessing4j.SharedMap;
import org.multiprocessing4j.SharedValue;
import org.multiprocessing4j.testsupport.ManagerTier;
import org.multiprocessing4j.testsupport.WithManager;

/**
 * One pass over the main types against a real TCP manager: the first test to read when it breaks.
 */
// lock and unlock are the calls under test, not a critical section
@SuppressWarnings("LockNotBeforeTry")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@WithManager(value = ManagerTier.TCP, authkey = "k")
class SmokeTest {
  @Test
  void basics(Manager m) {
    SharedList<Integer> l = m.list(List.of(1, 2, 3));
    l.add(4);
    assertEquals(List.of(1, 2, 3, 4), l.copy());
    assertEquals(4, l.size());
    assertThrows(IndexOutOfBoundsException.class, () -> l.get(10));
    SharedMap<String, Integer> d = m.dict();
    d.put("a", 1);
    d.merge("a", 5, Integer::sum);
    assertEquals(6, d.get("a"));
    SharedValue<Integer> v = m.value(10);
    assertEquals(15, v.addAndGet(5));
    SharedLock lock = v.getLock();
    lock.lock();
    assertTrue(lock.isLocked());
    lock.unlock();
    assertEquals(4, m.stats().objectCount());
    ManagerException e =
        assertThrows(ManagerException.class, () -> Manager.connect(m.target(), "bad"));
    assertEquals(ManagerException.Code.AUTHENTICATION_FAILED, e.code());
  }
}
