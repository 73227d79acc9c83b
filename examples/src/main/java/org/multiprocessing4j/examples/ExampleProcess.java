package org.multiprocessing4j.examples;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedObject;

/**
 * Python's {@code multiprocessing.Process(target=f, args=(shared,)).start()} for the examples: a
 * child JVM with this JVM's class path runs another class's {@code main}. Shared objects are passed
 * as arguments: a proxy serializes as a reference, and the child reconnects to the manager through
 * the environment of {@link Manager#childEnvironment()}. The child writes to this JVM's output.
 */
final class ExampleProcess {
  private final Process process;
  private final String name;

  private ExampleProcess(Process process, String name) {
    this.process = process;
    this.name = name;
  }

  /** Starts {@code main}'s {@code main(String[])}; proxies in {@code args} travel as references. */
  static ExampleProcess start(Manager manager, Class<?> main, Object... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1"); // short-lived children: start fast
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    for (Object arg : args) {
      command.add(arg instanceof SharedObject ? encode((SharedObject) arg) : String.valueOf(arg));
    }
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(manager.childEnvironment());
    try {
      return new ExampleProcess(builder.start(), main.getSimpleName());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + main.getName(), e);
    }
  }

  /** Python's {@code join()}: waits for the child; fails if it did not exit with 0. */
  void join() throws InterruptedException {
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(name + " exited with " + exit);
    }
  }

  /** In the child: the shared object passed as {@code arg}, reconnected through {@code manager}. */
  @SuppressWarnings("unchecked")
  static <T> T shared(Manager manager, String arg) {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(arg)))) {
      SharedObject proxy = (SharedObject) in.readObject();
      if (!proxy.managerTarget().equals(manager.target())) {
        throw new IllegalArgumentException("this object belongs to another manager");
      }
      return (T) proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(SharedObject proxy) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject((Serializable) proxy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
