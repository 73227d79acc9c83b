package org.multiprocessing4j.internal.launch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.multiprocessing4j.Internal;

/**
 * Starts a child JVM running a main class: the one place that writes a {@code java ...} command
 * line (the manager of {@code Manager.start()}, pool workers, the process API, and the test
 * support's child JVMs all start theirs here). The child runs this JVM's {@code java} with this
 * JVM's class path unless told otherwise, and starts from a {@link ClassDataArchive} when given an
 * archive role.
 *
 * <p>The command line is {@code java <archive options> <JVM options> -cp <class path> <main class>
 * <arguments>}: the archive's options come first so that the caller's ({@code -Xlog} say) win.
 *
 * <p>Not thread-safe: a builder is filled and started by one thread. {@link #start()} may be called
 * more than once; each call starts a new child.
 */
@Internal
public final class JvmLauncher {
  private final String mainClass;
  private String classPath = System.getProperty("java.class.path");
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> arguments = new ArrayList<>();
  // null value: remove the variable from the inherited environment
  private final Map<String, String> environment = new LinkedHashMap<>();
  private String archiveRole;
  private ProcessBuilder.Redirect input = ProcessBuilder.Redirect.PIPE;
  private ProcessBuilder.Redirect output = ProcessBuilder.Redirect.PIPE;
  private ProcessBuilder.Redirect error = ProcessBuilder.Redirect.PIPE;
  private Path directory;

  private JvmLauncher(String mainClass) {
    this.mainClass = requireNonNull(mainClass, "mainClass");
  }

  /** A child JVM that runs {@code mainClass} (a class name on the child's class path). */
  public static JvmLauncher mainClass(String mainClass) {
    return new JvmLauncher(mainClass);
  }

  /** {@link #mainClass(String)} by the class itself. */
  public static JvmLauncher mainClass(Class<?> mainClass) {
    return new JvmLauncher(mainClass.getName());
  }

  /** This JVM's {@code java} executable ({@code java.home}): the child runs the same JDK. */
  public static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The child's class path (default: this JVM's {@code java.class.path}). */
  public JvmLauncher classPath(String classPath) {
    this.classPath = requireNonNull(classPath, "classPath");
    return this;
  }

  /** JVM options, after those added before: a later option wins over an earlier one. */
  public JvmLauncher jvmOptions(List<String> options) {
    options.forEach(o -> jvmOptions.add(requireNonNull(o, "option")));
    return this;
  }

  /** {@link #jvmOptions(List)}. */
  public JvmLauncher jvmOptions(String... options) {
    return jvmOptions(List.of(options));
  }

  /** Arguments of the main class, after those added before. */
  public JvmLauncher arguments(List<String> args) {
    args.forEach(a -> arguments.add(requireNonNull(a, "argument")));
    return this;
  }

  /** {@link #arguments(List)}. */
  public JvmLauncher arguments(String... args) {
    return arguments(List.of(args));
  }

  /** Sets a variable in the child's environment (which otherwise is this JVM's). */
  public JvmLauncher environment(String name, String value) {
    environment.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
    return this;
  }

  /** Sets these variables in the child's environment. */
  public JvmLauncher environment(Map<String, String> variables) {
    variables.forEach(this::environment);
    return this;
  }

  /** Leaves this variable of this JVM's environment out of the child's. */
  public JvmLauncher withoutEnvironment(String name) {
    environment.put(requireNonNull(name, "name"), null);
    return this;
  }

  /**
   * Starts the child from the class data archive of this role (see {@link ClassDataArchive}):
   * children of one role with the same class path and options share one. Default: none.
   */
  public JvmLauncher classDataArchive(String role) {
    this.archiveRole = requireNonNull(role, "role");
    return this;
  }

  /**
   * The child's standard input (default: a pipe from this JVM; a child that exits when its input
   * closes then dies with this JVM).
   */
  public JvmLauncher input(ProcessBuilder.Redirect redirect) {
    this.input = requireNonNull(redirect, "redirect");
    return this;
  }

  /** The child's standard output (default: a pipe to this JVM, {@link Process#getInputStream}). */
  public JvmLauncher output(ProcessBuilder.Redirect redirect) {
    this.output = requireNonNull(redirect, "redirect");
    return this;
  }

  /**
   * The child's standard error (default: a pipe; {@link ProcessBuilder.Redirect#INHERIT} shares
   * ours).
   */
  public JvmLauncher error(ProcessBuilder.Redirect redirect) {
    this.error = requireNonNull(redirect, "redirect");
    return this;
  }

  /** Merges the child's standard error into its standard output. */
  public JvmLauncher errorToOutput() {
    this.error = null;
    return this;
  }

  /** The child's working directory (default: this JVM's). */
  public JvmLauncher directory(Path directory) {
    this.directory = requireNonNull(directory, "directory");
    return this;
  }

  /** The command line a child would be started with now, without a class data archive. */
  public List<String> command() {
    return command(List.of(), classPath);
  }

  private List<String> command(List<String> archiveOptions, String effectiveClassPath) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(archiveOptions);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(effectiveClassPath);
    command.add(mainClass);
    command.addAll(arguments);
    return command;
  }

  /**
   * Starts a child.
   *
   * @throws IOException if the JVM cannot be started (the archive it would have recorded is given
   *     up)
   */
  public Started start() throws IOException {
    ClassDataArchive archive =
        archiveRole == null ? null : ClassDataArchive.forChild(archiveRole, classPath, jvmOptions);
    ProcessBuilder builder =
        archive == null
            ? new ProcessBuilder(command())
            : new ProcessBuilder(command(archive.jvmOptions(), archive.classPath()));
    environment.forEach(
        (name, value) -> {
          if (value == null) {
            builder.environment().remove(name);
          } else {
            builder.environment().put(name, value);
          }
        });
    builder.redirectInput(input).redirectOutput(output);
    if (error == null) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(error);
    }
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      if (archive != null) {
        archive.notStarted();
      }
      throw e;
    }
    boolean records = false;
    if (archive != null) {
      archive.started(process);
      records = archive.records();
    }
    return new Started(process, records);
  }

  /**
   * A started child.
   *
   * @param process the child
   * @param recordsArchive whether it writes its class data archive as it exits: it must be left to
   *     exit by itself, which takes longer than usual (a {@code kill} loses the archive only)
   */
  public record Started(Process process, boolean recordsArchive) {}
}
