package org.multiprocessing4j.server;

import java.util.function.LongConsumer;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The lock a Value or Array hands out from {@code getLock()}: created on first use, registered as a
 * shared object held by its owner, so every proxy in every process gets the same lock.
 */
final class GuardLock {
  private final ManagerState state;
  private long lockId;

  GuardLock(ManagerState state) {
    this.state = state;
  }

  Ref ref() {
    if (lockId == 0 || state.entry(lockId) == null) {
      lockId = state.register(new LockReferent());
      state.nestedReferenceStored();
    }
    return new Ref(lockId, TypeIds.LOCK);
  }

  void visit(LongConsumer visitor) {
    if (lockId != 0) {
      visitor.accept(lockId);
    }
  }
}
