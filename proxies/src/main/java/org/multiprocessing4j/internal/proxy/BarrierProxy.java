package org.multiprocessing4j.internal.proxy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.SharedBarrier;
import org.multiprocessing4j.internal.wire.methods.BarrierMethod;
import org.multiprocessing4j.spi.Invoker;
import org.multiprocessing4j.spi.TypeIds;

/** Proxy of a manager-held {@code barrier}. */
final class BarrierProxy extends AbstractProxy implements SharedBarrier {
  private static final long serialVersionUID = 1L;

  // [parties, default timeout in nanoseconds or -1]: fixed at creation, fetched once.
  private transient volatile List<?> config;

  BarrierProxy(Invoker invoker, long objectId) {
    super(invoker, objectId, TypeIds.BARRIER);
  }

  private List<?> config() {
    List<?> current = config;
    if (current == null) {
      current = (List<?>) call(BarrierMethod.CONFIG);
      config = current;
    }
    return current;
  }

  /**
   * CyclicBarrier's order: a broken barrier throws {@link BrokenBarrierException} (the interrupt
   * status stays set); otherwise an interrupted party breaks the barrier for the others, then
   * throws {@link InterruptedException}.
   */
  private void breakIfInterrupted() throws InterruptedException, BrokenBarrierException {
    if (!Thread.currentThread().isInterrupted()) {
      return;
    }
    try {
      call(BarrierMethod.ARRIVE_INTERRUPTED);
    } catch (RemoteCheckedException e) {
      e.rethrow(BrokenBarrierException.class);
      throw e;
    }
    Thread.interrupted();
    throw new InterruptedException();
  }

  @Override
  public int await() throws InterruptedException, BrokenBarrierException {
    breakIfInterrupted();
    long defaultTimeout = ((Number) config().get(1)).longValue();
    try {
      long timeout = defaultTimeout < 0 ? Blocking.FOREVER : defaultTimeout;
      return (Integer) callBlocking(BarrierMethod.AWAIT, timeout, false);
    } catch (RemoteCheckedException e) {
      e.rethrow(BrokenBarrierException.class);
      throw e;
    }
  }

  @Override
  public int await(Duration timeout)
      throws InterruptedException, BrokenBarrierException, TimeoutException {
    long nanos = Blocking.nanos(timeout);
    breakIfInterrupted();
    try {
      return (Integer) callBlocking(BarrierMethod.AWAIT, nanos, true);
    } catch (RemoteCheckedException e) {
      e.rethrow(BrokenBarrierException.class);
      e.rethrow(TimeoutException.class);
      throw e;
    }
  }

  @Override
  public void abort() {
    call(BarrierMethod.ABORT);
  }

  @Override
  public void reset() {
    call(BarrierMethod.RESET);
  }

  @Override
  public boolean isBroken() {
    return (Boolean) call(BarrierMethod.IS_BROKEN);
  }

  @Override
  public int getParties() {
    return ((Number) config().get(0)).intValue();
  }

  @Override
  public int getNumberWaiting() {
    return (Integer) call(BarrierMethod.GET_NUMBER_WAITING);
  }
}
