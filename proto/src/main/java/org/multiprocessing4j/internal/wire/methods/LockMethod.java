package org.multiprocessing4j.internal.wire.methods;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The methods of the {@code lock} and {@code rlock} types: an rlock has two more ({@link
 * #IS_HELD_BY_CALLER}, {@link #GET_HOLD_COUNT}), as a lock has no owner. Immutable.
 */
public enum LockMethod implements SharedMethod {
  ACQUIRE("acquire", 0),
  TRY_ACQUIRE("tryAcquire", 0),
  RELEASE("release", 0),
  IS_LOCKED("isLocked", 0),
  /** rlock only. */
  IS_HELD_BY_CALLER("isHeldByCaller", 0),
  /** rlock only. */
  GET_HOLD_COUNT("getHoldCount", 0);

  private static final Set<LockMethod> OF_LOCK =
      Collections.unmodifiableSet(EnumSet.range(ACQUIRE, IS_LOCKED));
  private static final Set<LockMethod> OF_RLOCK =
      Collections.unmodifiableSet(EnumSet.allOf(LockMethod.class));

  private final Signature signature;

  LockMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }

  /** The methods a {@code lock} exposes. */
  public static Set<LockMethod> ofLock() {
    return OF_LOCK;
  }

  /** The methods an {@code rlock} exposes: all of them. */
  public static Set<LockMethod> ofRLock() {
    return OF_RLOCK;
  }
}
