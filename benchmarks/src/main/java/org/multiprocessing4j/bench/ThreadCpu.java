package org.multiprocessing4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JVM's CPU time by kind of thread, read from {@code /proc/<pid>/task/<tid>/stat}: the thread's
 * name (its {@code comm}, the first 15 characters of the Java thread name, which HotSpot sets for
 * its own threads too) says what it does. Where a worker JVM's CPU goes when many share two CPUs:
 * its own calls, or the JIT compilers, the collector and the VM's housekeeping.
 *
 * <p>Linux only, as the rest of the benchmark; resolution one clock tick (10 ms).
 *
 * <p>Stateless; safe from any thread.
 */
final class ThreadCpu {
  private static final long CLOCK_TICK_NANOS = TimeUnit.SECONDS.toNanos(1) / 100;

  private ThreadCpu() {}

  /** What a thread does, by its name. */
  enum Category {
    /** The application's threads: main, the client's transport and its helpers. */
    APP,
    /** HotSpot's C1 compiler threads. */
    C1,
    /** HotSpot's C2 compiler threads. */
    C2,
    /** The collector's threads, whichever collector. */
    GC,
    /** The VM thread (safepoints), and HotSpot's housekeeping threads. */
    VM,
    /**
     * Threads that ended: mostly compiler threads, which HotSpot stops when they are idle ({@code
     * UseDynamicNumberOfCompilerThreads}); their kind is unknown once gone.
     */
    EXITED;

    static Category of(String name) {
      if (name.startsWith("C1 CompilerThre")) {
        return C1;
      }
      if (name.startsWith("C2 CompilerThre")) {
        return C2;
      }
      if (name.startsWith("GC ")
          || name.startsWith("G1 ")
          || name.startsWith("ZGC")
          || name.startsWith("Shenandoah")) {
        return GC;
      }
      if (name.startsWith("VM ")
          || name.equals("Sweeper thread")
          || name.equals("Service Thread")
          || name.startsWith("Signal Dispatch")
          || name.startsWith("Reference Handl")
          || name.equals("Finalizer")
          || name.startsWith("Monitor Deflati")
          || name.startsWith("Notification Th")
          || name.startsWith("Common-Cleaner")) {
        return VM;
      }
      return APP;
    }
  }

  /**
   * The CPU nanoseconds (user + system) each category of {@code pid}'s threads used so far; {@link
   * Category#EXITED} holds what threads that have ended used (the process's total from {@code
   * /proc/<pid>/stat} less its live threads').
   */
  static Map<Category, Long> byCategory(long pid) {
    return snapshot(pid).byCategory();
  }

  /** Each live thread's category and CPU so far, and the whole process's CPU so far. */
  static Snapshot snapshot(long pid) {
    Map<Long, Category> categories = new HashMap<>();
    Map<Long, Long> cpu = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long process;
    try (Stream<Path> threads = Files.list(tasks)) {
      threads.forEach(
          task -> {
            String stat;
            try {
              stat = Files.readString(task.resolve("stat"));
            } catch (NoSuchFileException e) {
              return; // the thread ended while we listed
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            long tid = Long.parseLong(task.getFileName().toString());
            categories.put(
                tid, Category.of(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))));
            cpu.put(tid, ticks(stat));
          });
      // After the threads: the total then holds at least what they were read with (one tick of
      // noise remains, the readings are not atomic).
      process = ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the threads of pid " + pid, e);
    }
    return new Snapshot(categories, cpu, process);
  }

  /** utime + stime of a stat line, in nanoseconds. */
  private static long ticks(String stat) {
    // The name may hold spaces; the fields after its closing parenthesis do not.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * CLOCK_TICK_NANOS;
  }

  /** One reading of a process's threads. */
  static final class Snapshot {
    private final Map<Long, Category> categories;
    private final Map<Long, Long> cpu;
    private final long process;

    private Snapshot(Map<Long, Category> categories, Map<Long, Long> cpu, long process) {
      this.categories = categories;
      this.cpu = cpu;
      this.process = process;
    }

    /** CPU so far by category; ended threads' in {@link Category#EXITED}. */
    Map<Category, Long> byCategory() {
      return since(new Snapshot(Map.of(), Map.of(), 0));
    }

    /**
     * CPU since {@code before}, by category, thread by thread (a thread started since counts
     * whole); threads that ended in between are in {@link Category#EXITED}, so the categories add
     * up to the process's CPU in between.
     */
    Map<Category, Long> since(Snapshot before) {
      Map<Category, Long> delta = new EnumMap<>(Category.class);
      for (Category category : Category.values()) {
        delta.put(category, 0L);
      }
      long live = 0;
      for (Map.Entry<Long, Long> thread : cpu.entrySet()) {
        long used = thread.getValue() - before.cpu.getOrDefault(thread.getKey(), 0L);
        delta.merge(categories.get(thread.getKey()), used, Long::sum);
        live += used;
      }
      delta.put(Category.EXITED, process - before.process - live);
      return delta;
    }
  }

  /** {@code a + b}, category by category. */
  static Map<Category, Long> sum(Map<Category, Long> a, Map<Category, Long> b) {
    Map<Category, Long> total = new EnumMap<>(Category.class);
    total.putAll(a);
    b.forEach((category, nanos) -> total.merge(category, nanos, Long::sum));
    return total;
  }

  /** A line's fields: {@code <category>_cpu_us_per_op} for each category, over {@code ops}. */
  static Map<String, Object> perOperation(Map<Category, Long> cpu, long ops, String prefix) {
    Map<String, Object> fields = new LinkedHashMap<>();
    cpu.forEach(
        (category, nanos) ->
            fields.put(
                prefix + category.name().toLowerCase(Locale.ROOT) + "_cpu_us_per_op",
                Measurements.round(nanos / 1e3 / ops, 1)));
    return fields;
  }
}
