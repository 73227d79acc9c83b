package org.multiprocessing4j.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code imap} and {@code imapUnordered}: a window of chunks in flight, refilled from the input
 * iterator as results are consumed, on the consumer's thread. The consumer-side fields are confined
 * to the consuming thread (the iterator is documented as not thread-safe); slot outcomes and the
 * completion queue are written by pool threads and guarded by this object's monitor.
 */
final class ImapIterator<R> implements ResultIterator<R> {

  /** One chunk: submitted, then done with values or a failure. */
  private static final class Slot {
    Job job;
    boolean done; // guarded by the iterator
    List<?> values; // guarded by the iterator
    Throwable failure; // guarded by the iterator
  }

  private final Submissions pool;
  private final SerializableFunction<Object, Object> fn;
  private final Iterator<?> inputs;
  private final int chunksize;
  private final int window;
  private final boolean ordered;

  // consumer side
  private boolean inputsDone;
  private boolean closed;
  private int held; // chunks submitted and not fully consumed
  private int maxHeld;
  private final ArrayDeque<Slot> submitted = new ArrayDeque<>(); // ordered: in input order
  private final List<Slot> inFlight = new ArrayList<>(); // unordered: not yet taken
  private List<?> current;
  private int index;

  // shared with pool threads
  @GuardedBy("this")
  private final ArrayDeque<Slot> completed = new ArrayDeque<>(); // unordered: completion order

  ImapIterator(
      Submissions pool,
      SerializableFunction<Object, Object> fn,
      Iterator<?> inputs,
      int chunksize,
      int window,
      boolean ordered) {
    this.pool = pool;
    this.fn = fn;
    this.inputs = inputs;
    this.chunksize = chunksize;
    this.window = window;
    this.ordered = ordered;
    topUp();
  }

  /** The most chunks this iterator ever held at once (tests check it against the window). */
  int maxHeld() {
    return maxHeld;
  }

  /** Submits chunks until the window is full or the inputs run out. */
  private void topUp() {
    while (!inputsDone && held < window) {
      if (!inputs.hasNext()) {
        inputsDone = true;
        return;
      }
      List<Object> chunk = new ArrayList<>(chunksize);
      while (chunk.size() < chunksize && inputs.hasNext()) {
        chunk.add(inputs.next());
      }
      Slot slot = new Slot();
      held++;
      maxHeld = Math.max(maxHeld, held);
      if (ordered) {
        submitted.add(slot);
      } else {
        inFlight.add(slot);
      }
      try {
        slot.job = pool.chunk(Work.mapChunk(fn, chunk), listener(slot));
      } catch (TaskSerializationException e) {
        settle(slot, null, e);
      } catch (IllegalStateException e) {
        inputsDone = true;
        settle(
            slot,
            null,
            new IllegalStateException(
                "Pool not running: it was closed or terminated before this imap was consumed"
                    + " (consume imap results before close())",
                e));
      }
    }
  }

  private Job.Listener listener(Slot slot) {
    return new Job.Listener() {
      @Override
      public void succeeded(Object result) {
        settle(slot, (List<?>) result, null);
      }

      @Override
      public void failed(Throwable failure) {
        settle(slot, null, failure);
      }
    };
  }

  private synchronized void settle(Slot slot, List<?> values, Throwable failure) {
    if (slot.done) {
      return;
    }
    slot.done = true;
    slot.values = values;
    slot.failure = failure;
    if (!ordered) {
      completed.add(slot);
    }
    notifyAll();
  }

  @Override
  public boolean hasNext() {
    if (current != null) {
      return true;
    }
    topUp();
    return held > 0;
  }

  @Override
  public R next() {
    try {
      return next(-1, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no timeout was set", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcessPoolException("interrupted while waiting for an imap result", e);
    }
  }

  @Override
  public R next(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
    if (current == null) {
      takeChunk(timeout < 0 ? -1 : unit.toNanos(timeout));
    }
    Object value = current.get(index++);
    if (index == current.size()) {
      chunkConsumed();
    }
    @SuppressWarnings("unchecked")
    R result = (R) value;
    return result;
  }

  private void chunkConsumed() {
    current = null;
    index = 0;
    held--;
    topUp();
  }

  /** Waits for the next chunk and makes it current, or throws its failure. */
  private void takeChunk(long timeoutNanos) throws TimeoutException, InterruptedException {
    if (!hasNext()) {
      throw new NoSuchElementException("no more results");
    }
    Slot slot;
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (this) {
      while (true) {
        slot = ordered ? submitted.peekFirst() : completed.peekFirst();
        if (slot != null && slot.done) {
          break;
        }
        if (timeoutNanos < 0) {
          wait();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new TimeoutException("no result within the timeout");
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
      if (ordered) {
        submitted.pollFirst();
      } else {
        completed.pollFirst();
        inFlight.remove(slot);
      }
    }
    if (slot.failure != null) {
      held--;
      topUp();
      throw Submissions.propagate(slot.failure);
    }
    current = slot.values;
    index = 0;
    if (current.isEmpty()) {
      chunkConsumed();
      takeChunk(timeoutNanos);
    }
  }

  @Override
  public Iterator<R> iterator() {
    return this;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    inputsDone = true;
    List<Job> jobs = new ArrayList<>();
    for (Slot slot : ordered ? submitted : inFlight) {
      if (slot.job != null) {
        jobs.add(slot.job);
      }
    }
    pool.cancel(jobs, true, new CancellationException("the imap was closed"));
    synchronized (this) {
      submitted.clear();
      inFlight.clear();
      completed.clear();
    }
    current = null;
    held = 0;
  }
}
