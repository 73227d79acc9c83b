package org.multiprocessing4j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.internal.wire.methods.BarrierMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code barrier} type: Python's Barrier with {@link java.util.concurrent.CyclicBarrier}'s
 * arrival indexes (the first to arrive gets {@code parties - 1}, the last gets 0 and trips it).
 *
 * <p>Breaking: a waiter that leaves early (timeout, interrupt, its session ending) breaks the
 * barrier, and so do a party arriving interrupted ({@code arriveInterrupted}) and {@code abort};
 * every waiter then fails with {@link BrokenBarrierException}, except one whose own explicit
 * timeout elapsed, which gets {@link TimeoutException} (as {@code CyclicBarrier}). A broken barrier
 * fails every {@code await} at once until {@code reset}; a reset with waiters breaks them and
 * leaves the barrier usable.
 */
final class BarrierReferent extends BuiltInReferent<BarrierMethod> {
  private static final ExposedMethods<BarrierMethod> METHODS =
      ExposedMethods.all(BarrierMethod.class);

  private final int parties;
  // Applied by clients to await() without a timeout; -1: none.
  private final long defaultTimeoutNanos;
  // Arrival order of this generation's waiters.
  private final List<Call> waiting = new ArrayList<>();
  private boolean broken;

  private BarrierReferent(int parties, long defaultTimeoutNanos) {
    super(TypeIds.BARRIER, METHODS);
    this.parties = parties;
    this.defaultTimeoutNanos = defaultTimeoutNanos;
  }

  /** {@code create(parties)} or {@code create(parties, defaultTimeoutNanos)}. */
  static BarrierReferent create(Object[] args) {
    if (args.length != 1 && args.length != 2) {
      throw new IllegalArgumentException(
          "barrier.create takes (parties) or (parties, timeoutNanos), got "
              + args.length
              + " arguments");
    }
    int parties = Args.intArg(TypeIds.BARRIER, args, 0);
    if (parties < 1) {
      throw new IllegalArgumentException("a barrier needs at least 1 party, got " + parties);
    }
    long timeout = -1;
    if (args.length == 2) {
      if (!(args[1] instanceof Long)) {
        throw new IllegalArgumentException(
            "barrier.create: the timeout must be a long (nanoseconds), got "
                + Args.describe(args[1]));
      }
      timeout = (Long) args[1];
      if (timeout < 0) {
        throw new IllegalArgumentException("a barrier's timeout must be >= 0, got " + timeout);
      }
    }
    return new BarrierReferent(parties, timeout);
  }

  @Override
  Object run(BarrierMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case AWAIT -> {
        if (!(args[0] instanceof Boolean explicitTimeout)) {
          throw new IllegalArgumentException("await: argument 0 must be a boolean");
        }
        yield await(call, explicitTimeout);
      }
      case ARRIVE_INTERRUPTED -> {
        // CyclicBarrier: a party arriving interrupted breaks the barrier (a broken one says so).
        if (broken) {
          throw new BrokenBarrierException("the barrier is broken; reset() it to use it again");
        }
        breakBarrier();
        yield null;
      }
      case ABORT -> {
        breakBarrier();
        yield null;
      }
      case RESET -> {
        breakBarrier();
        broken = false;
        yield null;
      }
      case IS_BROKEN -> broken;
      case GET_NUMBER_WAITING -> waiting.size();
      case GET_PARTIES -> parties;
      case CONFIG -> List.of(parties, defaultTimeoutNanos);
    };
  }

  /** {@code explicitTimeout}: the caller gave its own timeout (it gets TimeoutException). */
  private Object await(Call call, boolean explicitTimeout) throws Exception {
    if (broken) {
      throw new BrokenBarrierException("the barrier is broken; reset() it to use it again");
    }
    int index = parties - 1 - waiting.size();
    if (index == 0) {
      List<Call> released = new ArrayList<>(waiting);
      waiting.clear();
      for (int i = 0; i < released.size(); i++) {
        released.get(i).complete(parties - 1 - i);
      }
      return 0;
    }
    if (!call.mayWait()) {
      breakBarrier();
      throw timedOut(explicitTimeout);
    }
    waiting.add(call);
    return call.park(
        () -> {
          // A party that leaves early breaks the barrier for the others.
          if (waiting.remove(call)) {
            breakBarrier();
          }
        },
        () -> {
          call.fail(timedOut(explicitTimeout));
          return null;
        });
  }

  private static Exception timedOut(boolean explicitTimeout) {
    return explicitTimeout
        ? new TimeoutException("the barrier did not trip within the timeout; it is now broken")
        : new BrokenBarrierException("the barrier's default timeout elapsed; it is now broken");
  }

  private void breakBarrier() {
    broken = true;
    List<Call> failed = new ArrayList<>(waiting);
    waiting.clear();
    failed.forEach(
        waiter -> waiter.fail(new BrokenBarrierException("the barrier was broken while waiting")));
  }

  @Override
  public void freed() {
    List<Call> parked = new ArrayList<>(waiting);
    waiting.clear();
    parked.forEach(Call::withdraw);
  }

  @Override
  public String describe() {
    return "<Barrier parties="
        + parties
        + ", "
        + waiting.size()
        + " waiting"
        + (broken ? ", broken" : "")
        + ">";
  }
}
