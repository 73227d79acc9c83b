package org.multiprocessing4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JVM's CPU time by kind of thread, read from {@code /proc/<pid>/task/<tid>/stat}: the thread's
 * name (its {@code comm}, the first 15 characters of the Java thread name, which HotSpot sets for
 * its own threads too) says what it does. Where a worker JVM's CPU goes when many share two
 * CPUs: its own calls, or the JIT compilers, the collector and the VM's housekeeping.
 *
 * <p>Linux only, as the rest of the benchmark; resolution one clock tick (10 ms). Threads that
 * ended between two readings are lost from the difference (none of HotSpot's do).
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
    VM;

    static Category of(String name) {
      if (name.startsWith("C1 CompilerThre")) {
        return C1;
      }
      if (name.startsWith("C2 CompilerThre")) {
        return C2;
      }
      if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("ZGC")
          || name.startsWith("Shenandoah")) {
        return GC;
      }
      if (name.startsWith("VM ") || name.equals("Sweeper thread") || name.equals("Service Thread")
          || name.startsWith("Signal Dispatch") || name.startsWith("Reference Handl")
          || name.equals("Finalizer") || name.startsWith("Monitor Deflati")
          || name.startsWith("Notification Th") || name.startsWith("Common-Cleaner")) {
        return VM;
      }
      return APP;
    }
  }

  /** The CPU nanoseconds (user + system) each category of {@code pid}'s threads used so far. */
  static Map<Category, Long> byCategory(long pid) {
    Map<Category, Long> cpu = new EnumMap<>(Category.class);
    for (Category category : Category.values()) {
      cpu.put(category, 0L);
    }
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> threads = Files.list(tasks)) {
      threads.forEach(task -> {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (NoSuchFileException e) {
          return; // the thread ended while we listed
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // The name may hold spaces; the fields after its closing parenthesis do not.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        cpu.merge(Category.of(name), ticks * CLOCK_TICK_NANOS, Long::sum);
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the threads of pid " + pid, e);
    }
    return cpu;
  }

  /** {@link #byCategory} summed over several processes. */
  static Map<Category, Long> total(List<Long> pids) {
    Map<Category, Long> total = new EnumMap<>(Category.class);
    for (long pid : pids) {
      total = sum(total, byCategory(pid));
    }
    return total;
  }

  /** {@code after - before}, category by category. */
  static Map<Category, Long> difference(Map<Category, Long> after, Map<Category, Long> before) {
    Map<Category, Long> delta = new EnumMap<>(Category.class);
    delta.putAll(after);
    before.forEach((category, nanos) -> delta.merge(category, -nanos, Long::sum));
    return delta;
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
    cpu.forEach((category, nanos) -> fields.put(
        prefix + category.name().toLowerCase(Locale.ROOT) + "_cpu_us_per_op",
        Measurements.round(nanos / 1e3 / ops, 1)));
    return fields;
  }

  /** A compact text form for a worker's {@code DONE} line: {@code app=n,c1=n,...} in nanoseconds. */
  static String format(Map<Category, Long> cpu) {
    StringBuilder text = new StringBuilder();
    cpu.forEach((category, nanos) -> {
      if (text.length() > 0) {
        text.append(',');
      }
      text.append(category.name()).append('=').append(nanos);
    });
    return text.toString();
  }

  /** The inverse of {@link #format}. */
  static Map<Category, Long> parse(String text) {
    Map<Category, Long> cpu = new EnumMap<>(Category.class);
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      cpu.put(Category.valueOf(pair.substring(0, eq)), Long.parseLong(pair.substring(eq + 1)));
    }
    return cpu;
  }
}
