package org.multiprocessing4j.pool;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Turns the {@link ProcessPool} calls into {@link Job}s and the objects that gather their results:
 * one job per {@code apply}, one job per chunk of a {@code map} or {@code starmap} (gathered by a
 * {@link MapResult}), an {@link ImapIterator} for {@code imap}. It decides chunk sizes and job ids
 * and serializes the tasks; what happens to a job after that is the {@link Scheduling}'s business,
 * so this class can be tested without a pool. Thread-safe: its only state is the job id counter.
 */
final class Submissions {

  /** Where jobs go: the pool's scheduler, behind its lock. */
  interface Scheduling {
    /** Throws {@link IllegalStateException} once the pool is closed or terminated. */
    void checkRunning();

    /** Queues the jobs; throws {@link IllegalStateException} if the pool is not running. */
    void submit(List<Job> jobs);

    /**
     * Withdraws jobs: queued ones are dropped, ones sent to a worker are skipped there if not
     * started, and interrupted if running and {@code interrupt}.
     */
    void cancel(Collection<Job> jobs, boolean interrupt, CancellationException reason);
  }

  private final int processes;
  private final int imapWindow;
  private final Executor callbacks;
  private final Scheduling scheduling;
  private final AtomicLong jobIds = new AtomicLong();

  /**
   * @param processes the pool's size, for the default chunk size
   * @param imapWindow the most chunks an imap holds at once
   * @param callbacks where the callbacks given at submission run
   */
  Submissions(int processes, int imapWindow, Executor callbacks, Scheduling scheduling) {
    this.processes = processes;
    this.imapWindow = imapWindow;
    this.callbacks = callbacks;
    this.scheduling = scheduling;
  }

  /** Python's default: the inputs cut into about four chunks per process. */
  static int defaultChunksize(int size, int processes) {
    int chunks = processes * 4;
    return size / chunks + (size % chunks == 0 ? 0 : 1);
  }

  static void checkChunksize(int chunksize) {
    if (chunksize < 1) {
      throw new IllegalArgumentException("Chunksize must be 1+, not " + chunksize);
    }
  }

  /** Throws {@code failure} itself if unchecked, else wrapped in a {@link CompletionException}. */
  static RuntimeException propagate(Throwable failure) {
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new CompletionException(failure);
  }

  // ---------------------------------------------------------------- one job

  /** One job for {@code work}; {@code task} is what the caller submitted (kept referenced). */
  <R> PoolFuture<R> single(
      Work work,
      Object task,
      Consumer<? super R> callback,
      Consumer<? super Throwable> errorCallback) {
    scheduling.checkRunning();
    byte[] payload = serializeTask(work);
    PoolFuture<R> future = new PoolFuture<>();
    future.callbacks(callbacks, callback, errorCallback);
    Job job = new Job(jobIds.incrementAndGet(), payload, task, completing(future));
    future.onCancel(
        interrupt ->
            scheduling.cancel(List.of(job), interrupt, new CancellationException("cancelled")));
    scheduling.submit(List.of(job));
    return future;
  }

  /** One chunk of an imap: no pre-check, the scheduler's refusal reaches the iterator. */
  Job chunk(Work work, Job.Listener listener) {
    Job job = new Job(jobIds.incrementAndGet(), serializeTask(work), work, listener);
    scheduling.submit(List.of(job));
    return job;
  }

  void cancel(Collection<Job> jobs, boolean interrupt, CancellationException reason) {
    scheduling.cancel(jobs, interrupt, reason);
  }

  // ---------------------------------------------------------------- chunked

  /** {@code map}: {@code chunksize} 0 means the default. */
  <R> PoolFuture<List<R>> map(
      SerializableFunction<?, ?> fn,
      Iterable<?> inputs,
      int chunksize,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    SerializableFunction<Object, Object> f = erase(fn);
    if (chunksize < 0) {
      throw new IllegalArgumentException(
          "Chunksize must be 1+ (or 0 for the default), not " + chunksize);
    }
    List<Object> items = toList(inputs);
    int size = items.size();
    int step = effective(chunksize, size);
    return chunked(
        size,
        step,
        from -> Work.mapChunk(f, items.subList(from, Math.min(size, from + step))),
        callback,
        errorCallback);
  }

  /** {@code starmap}: each pair's key and value become {@code fn}'s two arguments. */
  @SuppressWarnings("unchecked")
  <R> PoolFuture<List<R>> starmap(
      SerializableBiFunction<?, ?, ?> fn,
      Iterable<? extends Map.Entry<?, ?>> pairs,
      int chunksize) {
    SerializableBiFunction<Object, Object, Object> f =
        (SerializableBiFunction<Object, Object, Object>) requireNonNull(fn, "fn");
    requireNonNull(pairs, "pairs");
    List<Object> firsts = new ArrayList<>();
    List<Object> seconds = new ArrayList<>();
    for (Map.Entry<?, ?> pair : pairs) {
      requireNonNull(pair, "a pair of starmap is null");
      firsts.add(pair.getKey());
      seconds.add(pair.getValue());
    }
    int size = firsts.size();
    int step = effective(chunksize, size);
    return chunked(
        size,
        step,
        from -> {
          int to = Math.min(size, from + step);
          return Work.starChunk(f, firsts.subList(from, to), seconds.subList(from, to));
        },
        null,
        null);
  }

  /** {@code imap} ({@code ordered}) and {@code imapUnordered}. */
  <R> ImapIterator<R> imap(
      SerializableFunction<?, ?> fn, Iterable<?> inputs, int chunksize, boolean ordered) {
    SerializableFunction<Object, Object> f = erase(fn);
    requireNonNull(inputs, "inputs");
    checkChunksize(chunksize);
    scheduling.checkRunning();
    return new ImapIterator<>(this, f, inputs.iterator(), chunksize, imapWindow, ordered);
  }

  private int effective(int chunksize, int size) {
    return chunksize == 0 ? defaultChunksize(size, processes) : chunksize;
  }

  /** Cuts {@code size} items into chunks of {@code step} and submits one job per chunk. */
  private <R> PoolFuture<List<R>> chunked(
      int size,
      int step,
      IntFunction<Work> chunkFrom,
      Consumer<? super List<R>> callback,
      Consumer<? super Throwable> errorCallback) {
    scheduling.checkRunning();
    PoolFuture<List<R>> future = new PoolFuture<>();
    future.callbacks(callbacks, callback, errorCallback);
    if (size == 0) {
      future.complete(new ArrayList<>());
      return future;
    }
    int chunks = (size + step - 1) / step;
    MapResult<R> result = new MapResult<>(size, step, chunks, future);
    List<Job> jobs = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      Work work = chunkFrom.apply(c * step);
      jobs.add(new Job(jobIds.incrementAndGet(), serializeTask(work), work, result.chunk(c)));
    }
    future.onCancel(
        interrupt -> scheduling.cancel(jobs, interrupt, new CancellationException("cancelled")));
    scheduling.submit(jobs);
    return future;
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] serializeTask(Work work) {
    try {
      return Wire.serialize(work);
    } catch (IOException | RuntimeException e) {
      throw new TaskSerializationException(
          "the task cannot be serialized (everything a task captures must be Serializable): " + e,
          e);
    }
  }

  private static <R> Job.Listener completing(PoolFuture<R> future) {
    return new Job.Listener() {
      @SuppressWarnings("unchecked")
      @Override
      public void succeeded(Object result) {
        future.complete((R) result);
      }

      @Override
      public void failed(Throwable failure) {
        future.fail(failure);
      }
    };
  }

  @SuppressWarnings("unchecked")
  static SerializableFunction<Object, Object> erase(SerializableFunction<?, ?> fn) {
    return (SerializableFunction<Object, Object>) requireNonNull(fn, "fn");
  }

  private static List<Object> toList(Iterable<?> inputs) {
    requireNonNull(inputs, "inputs");
    List<Object> items =
        inputs instanceof Collection<?> collection
            ? new ArrayList<>(collection.size())
            : new ArrayList<>();
    for (Object item : inputs) {
      items.add(item);
    }
    return items;
  }
}
