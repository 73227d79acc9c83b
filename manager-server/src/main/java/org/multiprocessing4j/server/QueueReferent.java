package org.multiprocessing4j.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.LongConsumer;
import org.multiprocessing4j.internal.wire.methods.QueueMethod;
import org.multiprocessing4j.spi.TypeIds;

/**
 * The {@code queue} and {@code joinableQueue} types: a FIFO queue, bounded or not, with parked
 * getters and putters (Python's {@code queue.Queue}).
 *
 * <p>Invariants: getters wait only while the queue is empty, putters only while it is full. An item
 * put while a getter waits goes straight to the longest-waiting getter; room made by a get admits
 * the longest-waiting putter's item. A waiter that timed out or was cancelled is withdrawn first,
 * so it is never handed an item, and a withdrawn putter's item never enters the queue.
 */
final class QueueReferent extends BuiltInReferent<QueueMethod> {
  private static final ExposedMethods<QueueMethod> QUEUE_METHODS =
      ExposedMethods.of(QueueMethod.ofQueue());
  private static final ExposedMethods<QueueMethod> JOINABLE_QUEUE_METHODS =
      ExposedMethods.of(QueueMethod.ofJoinableQueue());

  // 0: unbounded (Python's maxsize <= 0).
  private final int maxsize;
  private final ArrayDeque<Object> items = new ArrayDeque<>();
  private final ArrayDeque<Call> getters = new ArrayDeque<>();
  private final ArrayDeque<PendingPut> putters = new ArrayDeque<>();
  private final ArrayDeque<Call> joiners = new ArrayDeque<>();
  // Items put and not yet matched by taskDone() (joinable queues only).
  private long unfinished;

  private static final class PendingPut {
    final Call call;
    final Object item;

    PendingPut(Call call, Object item) {
      this.call = call;
      this.item = item;
    }
  }

  private QueueReferent(String typeId, int maxsize) {
    super(typeId, TypeIds.JOINABLE_QUEUE.equals(typeId) ? JOINABLE_QUEUE_METHODS : QUEUE_METHODS);
    this.maxsize = maxsize;
  }

  /** {@code create()} or {@code create(maxsize)}; maxsize 0 means unbounded. */
  static QueueReferent create(String typeId, Object[] args) {
    if (args.length == 0) {
      return new QueueReferent(typeId, 0);
    }
    Args.count(typeId, "create", args, 1);
    int maxsize = Args.intArg(typeId, args, 0);
    if (maxsize < 0) {
      throw new IllegalArgumentException(
          "maxsize must be 0 (unbounded) or positive, got " + maxsize);
    }
    return new QueueReferent(typeId, maxsize);
  }

  private boolean joinable() {
    return TypeIds.JOINABLE_QUEUE.equals(typeId());
  }

  @Override
  Object run(QueueMethod method, Object[] args, Call call) throws Exception {
    return switch (method) {
      case PUT -> put(nonNull(args[0]), call);
      case GET -> get(call);
      case PEEK -> items.peekFirst();
      case SIZE -> items.size();
      case FULL -> isFull();
      case MAXSIZE -> maxsize;
      case REMAINING_CAPACITY -> maxsize == 0 ? Integer.MAX_VALUE : maxsize - items.size();
      case CONTAINS -> items.contains(args[0]);
      case CONTAINS_ALL -> items.containsAll(Args.listArg(method, args, 0));
      case REMOVE -> {
        boolean removed = items.removeFirstOccurrence(args[0]);
        admitPutters();
        yield removed;
      }
      case REMOVE_ALL -> {
        boolean changed = items.removeAll(new HashSet<>(Args.listArg(method, args, 0)));
        admitPutters();
        yield changed;
      }
      case RETAIN_ALL -> {
        boolean changed = items.retainAll(new HashSet<>(Args.listArg(method, args, 0)));
        admitPutters();
        yield changed;
      }
      case ADD_ALL -> addAll(Args.listArg(method, args, 0));
      case DRAIN -> drain(Args.intArg(method, args, 0));
      case CLEAR -> {
        items.clear();
        admitPutters();
        yield null;
      }
      case COPY -> new ArrayList<>(items);
      case TASK_DONE -> {
        if (unfinished == 0) {
          // Python: ValueError('task_done() called too many times'); nothing changes.
          throw new IllegalStateException("taskDone() called more times than items were put");
        }
        if (--unfinished == 0) {
          List<Call> released = new ArrayList<>(joiners);
          joiners.clear();
          released.forEach(joiner -> joiner.complete(true));
        }
        yield null;
      }
      case JOIN -> {
        if (unfinished == 0) {
          yield true;
        }
        if (!call.mayWait()) {
          yield false;
        }
        joiners.add(call);
        yield call.park(() -> joiners.remove(call), () -> false);
      }
      case UNFINISHED_TASKS -> unfinished;
    };
  }

  private static Object nonNull(Object item) {
    if (item == null) {
      throw new NullPointerException("queues do not accept null elements; use an end marker");
    }
    return item;
  }

  private boolean isFull() {
    return maxsize > 0 && items.size() >= maxsize;
  }

  /** Returns true once the item is in, false if it could not get in within the call's timeout. */
  private Object put(Object item, Call call) {
    if (tryPut(item)) {
      return true;
    }
    if (!call.mayWait()) {
      return false;
    }
    PendingPut pending = new PendingPut(call, item);
    putters.add(pending);
    return call.park(() -> putters.remove(pending), () -> false);
  }

  /** Hands the item to a waiting getter or appends it if there is room. */
  private boolean tryPut(Object item) {
    Call getter = getters.poll();
    if (getter != null) {
      unfinished++;
      getter.complete(item);
      return true;
    }
    if (isFull()) {
      return false;
    }
    items.add(item);
    unfinished++;
    return true;
  }

  /** Returns the head, or null if nothing arrived within the call's timeout. */
  private Object get(Call call) {
    Object head = items.poll();
    if (head != null) {
      admitPutters();
      return head;
    }
    if (!call.mayWait()) {
      return null;
    }
    getters.add(call);
    return call.park(() -> getters.remove(call), () -> null);
  }

  /** Moves waiting putters' items in while there is room. */
  private void admitPutters() {
    while (!putters.isEmpty() && !isFull()) {
      PendingPut next = putters.poll();
      items.add(next.item);
      unfinished++;
      next.call.complete(true);
    }
  }

  private int addAll(List<?> values) {
    for (Object value : values) {
      nonNull(value);
    }
    int added = 0;
    for (Object value : values) {
      if (!tryPut(value)) {
        break;
      }
      added++;
    }
    return added;
  }

  /** Removes up to {@code max} items (all if negative), in order. */
  private List<Object> drain(int max) {
    List<Object> drained = new ArrayList<>();
    while ((max < 0 || drained.size() < max) && !items.isEmpty()) {
      drained.add(items.poll());
      admitPutters();
    }
    return drained;
  }

  @Override
  public void forEachReference(LongConsumer visitor) {
    NestedRefs.visit(items, visitor);
    for (PendingPut pending : putters) {
      NestedRefs.visit(pending.item, visitor);
    }
  }

  @Override
  public void freed() {
    List<Call> parked = new ArrayList<>(getters);
    putters.forEach(p -> parked.add(p.call));
    parked.addAll(joiners);
    parked.forEach(Call::withdraw);
  }

  @Override
  public String describe() {
    StringBuilder text =
        new StringBuilder("<")
            .append(joinable() ? "JoinableQueue" : "Queue")
            .append(" size=")
            .append(items.size())
            .append(", maxsize=")
            .append(maxsize);
    if (!getters.isEmpty()) {
      text.append(", ").append(getters.size()).append(" waiting to get");
    }
    if (!putters.isEmpty()) {
      text.append(", ").append(putters.size()).append(" waiting to put");
    }
    if (joinable()) {
      text.append(", unfinished=").append(unfinished);
    }
    return text.append('>').toString();
  }
}
