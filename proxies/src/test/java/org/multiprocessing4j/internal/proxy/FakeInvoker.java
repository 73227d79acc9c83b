package org.multiprocessing4j.internal.proxy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.multiprocessing4j.spi.Invoker;

/**
 * An in-memory {@link Invoker}: records every call a proxy makes and answers it with {@link
 * #answer}'s function (null by default). Thread-safe: its methods are synchronized.
 */
final class FakeInvoker implements Invoker {
  /** How a call was made. */
  enum Kind {
    CALL,
    BLOCKING,
    ASYNC,
    CREATE
  }

  /** One recorded call; {@code timeoutNanos} only for {@link Kind#BLOCKING}. */
  record Call(Kind kind, long objectId, String method, List<Object> args, long timeoutNanos) {
    @Override
    public String toString() {
      return kind
          + " "
          + objectId
          + "."
          + method
          + args
          + (kind == Kind.BLOCKING ? " timeout " + timeoutNanos : "");
    }
  }

  /** Answers a call, or throws: an {@link InterruptedException} only from a blocking one. */
  @FunctionalInterface
  interface Answer {
    Object answer(Call call) throws InterruptedException;
  }

  private final String target;
  private final long managerInstanceId;
  private final List<Call> calls = new ArrayList<>();
  private final List<Long> released = new ArrayList<>();
  private Answer answer = call -> null;
  private long nextObjectId = 1_000;

  FakeInvoker(String target) {
    this(target, 0);
  }

  /** A fake of manager instance {@code managerInstanceId} at {@code target}. */
  FakeInvoker(String target, long managerInstanceId) {
    this.target = target;
    this.managerInstanceId = managerInstanceId;
  }

  FakeInvoker() {
    this("fake:1");
  }

  /** Sets how calls are answered; the function may throw to fail the call. */
  synchronized FakeInvoker answer(Answer newAnswer) {
    this.answer = newAnswer;
    return this;
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized List<String> methods() {
    return calls.stream().map(Call::method).toList();
  }

  synchronized Call lastCall() {
    return calls.get(calls.size() - 1);
  }

  synchronized void clear() {
    calls.clear();
  }

  synchronized List<Long> released() {
    return List.copyOf(released);
  }

  private synchronized Object record(Call call) throws InterruptedException {
    calls.add(call);
    return answer.answer(call);
  }

  private Object recordUninterruptibly(Call call) {
    try {
      return record(call);
    } catch (InterruptedException e) {
      throw new AssertionError("only a blocking call can be interrupted: " + call, e);
    }
  }

  @Override
  public Object invoke(long objectId, String method, Object... args) {
    return recordUninterruptibly(new Call(Kind.CALL, objectId, method, copy(args), 0));
  }

  @Override
  public Object invokeBlocking(long objectId, String method, long timeoutNanos, Object... args)
      throws InterruptedException {
    return record(new Call(Kind.BLOCKING, objectId, method, copy(args), timeoutNanos));
  }

  /** Recorded as {@link Kind#BLOCKING}: the fake never sees an interrupt. */
  @Override
  public Object invokeBlockingUninterruptibly(
      long objectId, String method, long timeoutNanos, Object... args) {
    return recordUninterruptibly(
        new Call(Kind.BLOCKING, objectId, method, copy(args), timeoutNanos));
  }

  @Override
  public CompletableFuture<Object> invokeAsync(long objectId, String method, Object... args) {
    try {
      return CompletableFuture.completedFuture(
          recordUninterruptibly(new Call(Kind.ASYNC, objectId, method, copy(args), 0)));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public Object create(String typeId, Object... args) {
    long id;
    synchronized (this) {
      id = nextObjectId++;
    }
    recordUninterruptibly(new Call(Kind.CREATE, 0, typeId, copy(args), 0));
    return Proxies.forReference(this, id, typeId);
  }

  @Override
  public synchronized void release(long objectId) {
    released.add(objectId);
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public long managerInstanceId() {
    return managerInstanceId;
  }

  // Arrays.asList keeps nulls, which List.of refuses; the array is the proxy's own.
  private static List<Object> copy(Object[] args) {
    return Arrays.asList(args.clone());
  }
}
