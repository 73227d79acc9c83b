package org.multiprocessing4j.internal.proxy;

import org.multiprocessing4j.Internal;

/**
 * Carries a checked exception raised on the manager ({@code BrokenBarrierException}, {@code
 * TimeoutException}, {@code EOFException}) through the unchecked {@link Invoker} methods. Proxies
 * whose method declares the checked type unwrap it; see {@link #rethrow}.
 */
@Internal
public final class RemoteCheckedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RemoteCheckedException(Exception cause) {
    super(cause.toString(), cause, false, false);
  }

  /** Throws the cause if it is a {@code type}; otherwise returns, and the caller rethrows this. */
  public <X extends Exception> void rethrow(Class<X> type) throws X {
    if (type.isInstance(getCause())) {
      throw type.cast(getCause());
    }
  }
}
