package org.multiprocessing4j.internal.wire.methods;

/** The methods of the {@code semaphore} and {@code boundedSemaphore} types. Immutable. */
public enum SemaphoreMethod implements SharedMethod {
  ACQUIRE("acquire", 0),
  TRY_ACQUIRE("tryAcquire", 0),
  RELEASE("release", 1),
  AVAILABLE_PERMITS("availablePermits", 0);

  private final Signature signature;

  SemaphoreMethod(String wireName, int args) {
    this.signature = Signature.of(wireName, args);
  }

  @Override
  public Signature signature() {
    return signature;
  }
}
