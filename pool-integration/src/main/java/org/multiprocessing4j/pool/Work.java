package org.multiprocessing4j.pool;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;

/** What one task frame asks a worker to run. */
interface Work extends Serializable {

  Object run() throws Exception;

  /** A callable: {@code apply}, {@code applyAsync}, the executor view's {@code submit}. */
  static Work call(Callable<?> callable) {
    return new CallWork(callable);
  }

  /** A runnable of the executor view; its result is {@code null}. */
  static Work run(Runnable runnable) {
    return new RunWork(runnable);
  }

  /** {@code fn.apply(arg)}: {@code apply(fn, arg)}. */
  static Work applyFunction(SerializableFunction<Object, Object> fn, Object arg) {
    return new FunctionWork(fn, arg);
  }

  /** One chunk of a map: {@code fn} over {@code items}, the results as a list. */
  static Work mapChunk(SerializableFunction<Object, Object> fn, List<Object> items) {
    return new MapChunk(fn, new ChunkList(items));
  }

  /** One chunk of a starmap. */
  static Work starChunk(
      SerializableBiFunction<Object, Object, Object> fn,
      List<Object> firsts,
      List<Object> seconds) {
    return new StarChunk(fn, new ChunkList(firsts), new ChunkList(seconds));
  }

  /** Holds the task as {@code Serializable}: the caller checked it is one. */
  final class CallWork implements Work {
    private static final long serialVersionUID = 1L;
    private final Serializable callable;

    CallWork(Callable<?> callable) {
      this.callable = (Serializable) callable;
    }

    @Override
    public Object run() throws Exception {
      return ((Callable<?>) callable).call();
    }
  }

  final class RunWork implements Work {
    private static final long serialVersionUID = 1L;
    private final Serializable runnable;

    RunWork(Runnable runnable) {
      this.runnable = (Serializable) runnable;
    }

    @Override
    public Object run() {
      ((Runnable) runnable).run();
      return null;
    }
  }

  final class FunctionWork implements Work {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<Object, Object> fn;
    private final Object arg;

    FunctionWork(SerializableFunction<Object, Object> fn, Object arg) {
      this.fn = fn;
      this.arg = arg;
    }

    @Override
    public Object run() {
      return fn.apply(arg);
    }
  }

  final class MapChunk implements Work {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<Object, Object> fn;
    private final ChunkList items;

    MapChunk(SerializableFunction<Object, Object> fn, ChunkList items) {
      this.fn = fn;
      this.items = items;
    }

    @Override
    public Object run() {
      Object[] results = new Object[items.size()];
      for (int i = 0; i < results.length; i++) {
        results[i] = fn.apply(items.get(i));
      }
      return new ChunkList(results);
    }
  }

  final class StarChunk implements Work {
    private static final long serialVersionUID = 1L;
    private final SerializableBiFunction<Object, Object, Object> fn;
    private final ChunkList firsts;
    private final ChunkList seconds;

    StarChunk(
        SerializableBiFunction<Object, Object, Object> fn, ChunkList firsts, ChunkList seconds) {
      this.fn = fn;
      this.firsts = firsts;
      this.seconds = seconds;
    }

    @Override
    public Object run() {
      Object[] results = new Object[firsts.size()];
      for (int i = 0; i < results.length; i++) {
        results[i] = fn.apply(firsts.get(i), seconds.get(i));
      }
      return new ChunkList(results);
    }
  }
}
