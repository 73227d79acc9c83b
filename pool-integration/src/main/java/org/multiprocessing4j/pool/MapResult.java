package org.multiprocessing4j.pool;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gathers the chunks of one map into its result list. As in Python, a failure does not end the map
 * early: the result is ready once every chunk has finished, and carries the first failure.
 */
final class MapResult<R> {
  private final Object[] values;
  private final int chunksize;
  private final PoolFuture<List<R>> future;

  @GuardedBy("this")
  private int chunksLeft;

  @GuardedBy("this")
  private Throwable firstFailure;

  MapResult(int size, int chunksize, int chunks, PoolFuture<List<R>> future) {
    this.values = new Object[size];
    this.chunksize = chunksize;
    this.chunksLeft = chunks;
    this.future = future;
  }

  Job.Listener chunk(int index) {
    return new Job.Listener() {
      @Override
      public void succeeded(Object result) {
        chunkSucceeded(index, result);
      }

      @Override
      public void failed(Throwable failure) {
        chunkFailed(failure);
      }
    };
  }

  private void chunkSucceeded(int index, Object result) {
    synchronized (this) {
      if (result instanceof ChunkList chunkList) {
        chunkList.copyTo(values, index * chunksize);
      } else {
        List<?> results = (List<?>) result;
        for (int i = 0; i < results.size(); i++) {
          values[index * chunksize + i] = results.get(i);
        }
      }
      if (--chunksLeft > 0) {
        return;
      }
    }
    finish();
  }

  private void chunkFailed(Throwable failure) {
    synchronized (this) {
      if (firstFailure == null) {
        firstFailure = failure;
      }
      if (--chunksLeft > 0) {
        return;
      }
    }
    finish();
  }

  @SuppressWarnings("unchecked")
  private void finish() {
    Throwable failure;
    synchronized (this) {
      failure = firstFailure;
    }
    if (failure != null) {
      future.fail(failure);
    } else {
      future.complete(new ArrayList<>((List<R>) Arrays.asList(values)));
    }
  }
}
