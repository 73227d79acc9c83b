package org.multiprocessing4j.internal.launch;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.Internal;

/**
 * Application class data sharing for the child JVMs this library starts (pool workers, the manager
 * of {@code Manager.start()}): internal, shared by the modules, not part of the API.
 *
 * <p>A child JVM spends most of its start-up loading and linking classes. The first child of a kind
 * records the classes it loaded into a dynamic archive when it exits ({@code
 * -XX:ArchiveClassesAtExit}); later children map that archive ({@code -XX:SharedArchiveFile})
 * instead of parsing and verifying the same classes again. The archive is named after a hash of
 * everything that decides whether it fits: the JVM (home, version), the child's class path with
 * each jar's size and modification time, and the child's JVM options. A rebuilt jar or another JDK
 * therefore gets an archive of its own, never a stale one (the JVM would refuse a stale one too,
 * and its messages about archives are switched off so that children's output stays clean).
 *
 * <p>Only children whose class path consists of jar files take part: the JVM cannot archive a class
 * path with a non-empty directory, as during development or under a test runner, and those children
 * start as before. Entries that cannot hold classes (missing files, files that are not zip
 * archives) are left out of such a child's class path: the JVM records a class path without them
 * and would otherwise refuse the archive.
 *
 * <p>Concurrency: a recording child writes to a temporary file of its own, and its parent renames
 * the file into place once the child has exited and the file is complete, so that no child ever
 * maps a half-written archive; within one JVM only one child records each archive at a time.
 * Failures only cost the speed-up: a directory that cannot be written, a child that is killed while
 * recording, a JVM that refuses the archive. Each role keeps its {@value #KEEP} most recently used
 * archives; older ones (of jars since rebuilt) are removed when a new one is recorded.
 *
 * <p>System properties: {@value #ENABLED_PROPERTY}{@code =false} turns this off; {@value
 * #DIRECTORY_PROPERTY} sets the directory (default: {@code multiprocessing4j/cds} in the user's
 * cache directory, {@code $XDG_CACHE_HOME} or {@code ~/.cache}). Children whose options already
 * name a CDS option ({@code -Xshare:...}, {@code -XX:SharedArchiveFile}, ...) are left alone.
 */
@Internal
public final class ClassDataArchive {
  public static final String ENABLED_PROPERTY = "mp4j.cds";
  public static final String DIRECTORY_PROPERTY = "mp4j.cds.dir";

  // The first bytes of a complete dynamic archive (HotSpot's CDS_DYNAMIC_ARCHIVE_MAGIC, in the
  // platform's byte order). HotSpot writes the header last, so a child killed while writing
  // leaves a file without it.
  private static final int DYNAMIC_ARCHIVE_MAGIC = 0xf00baba8;
  private static final String SUFFIX = ".jsa";
  private static final String TEMP_SUFFIX = ".tmp";
  // Quiet about archives: "Unable to use shared archive", "Skipping ...: Unsupported location".
  private static final String QUIET = "-Xlog:cds*=off";
  // Archives kept per role: the one being recorded and the most recently used others.
  static final int KEEP = 4;
  private static final Set<Path> RECORDING = ConcurrentHashMap.newKeySet();
  private static final AtomicLong TEMP_NAMES = new AtomicLong();

  private final List<String> jvmOptions;
  private final String classPath;
  private final Path archive; // null: not taking part
  private final Path temp; // non-null while this child records the archive

  private ClassDataArchive(List<String> jvmOptions, String classPath, Path archive, Path temp) {
    this.jvmOptions = jvmOptions;
    this.classPath = classPath;
    this.archive = archive;
    this.temp = temp;
  }

  /**
   * What to start a child with: {@code role} names the kind of child (its archive is its own),
   * {@code classPath} and {@code options} are what it would get without an archive. Never throws
   * for lack of an archive; at worst the child starts as it would have without one.
   */
  public static ClassDataArchive forChild(String role, String classPath, List<String> options) {
    return forChild(role, classPath, options, directory());
  }

  /** {@link #forChild(String, String, List)} with the archives in {@code directory} (or none). */
  static ClassDataArchive forChild(
      String role, String classPath, List<String> options, Path directory) {
    ClassDataArchive none = new ClassDataArchive(List.of(), classPath, null, null);
    if (directory == null || options.stream().anyMatch(ClassDataArchive::isCdsOption)) {
      return none;
    }
    try {
      String jars = jarsOnly(classPath);
      if (jars == null) {
        return none;
      }
      Path archive = directory.resolve(role + "-" + key(role, jars, options) + SUFFIX);
      if (usable(archive)) {
        touch(archive); // recently used: kept when old archives are removed
        return new ClassDataArchive(
            List.of(QUIET, "-XX:SharedArchiveFile=" + archive), jars, archive, null);
      }
      if (!RECORDING.add(archive)) {
        return none; // another child of this JVM records it already
      }
      Path temp;
      try {
        temp = prepareTemp(directory, archive);
      } catch (IOException | RuntimeException e) {
        RECORDING.remove(archive);
        return none;
      }
      return new ClassDataArchive(
          List.of(QUIET, "-XX:ArchiveClassesAtExit=" + temp), jars, archive, temp);
    } catch (IOException | RuntimeException e) {
      return none; // an unreadable class path entry, an odd file system: no archive this time
    }
  }

  /** Options to put before the caller's own (so that the caller's {@code -Xlog} wins). */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /** The class path to start the child with. */
  public String classPath() {
    return classPath;
  }

  /**
   * Whether the child records the archive: it writes it while it exits, so it must be left to exit
   * by itself (a {@code kill -9} loses the archive, nothing else).
   */
  public boolean records() {
    return temp != null;
  }

  /** The archive this child maps or records, or {@code null} if it takes no part. */
  public Path archive() {
    return archive;
  }

  /**
   * The child was started: once a recording child has exited, its archive is put in place. The
   * result completes when that is done (at once for a child that does not record); launchers need
   * not wait for it.
   */
  @CanIgnoreReturnValue
  public CompletableFuture<Void> started(Process child) {
    if (temp == null) {
      return CompletableFuture.completedFuture(null);
    }
    return child
        .onExit()
        .handle(
            (p, e) -> {
              publish();
              return null;
            });
  }

  /** The child could not be started. */
  public void notStarted() {
    if (temp != null) {
      deleteQuietly(temp);
      RECORDING.remove(archive);
    }
  }

  private void publish() {
    try {
      if (complete(temp)) {
        // rename(2): readers see the old file or the whole new one, never a part.
        Files.move(temp, archive, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | RuntimeException e) {
      // no archive this time
    } finally {
      deleteQuietly(temp);
      RECORDING.remove(archive);
    }
  }

  static boolean complete(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 4) != 4) {
        return false;
      }
    }
    return ByteBuffer.wrap(head).order(ByteOrder.nativeOrder()).getInt() == DYNAMIC_ARCHIVE_MAGIC;
  }

  private static boolean isCdsOption(String option) {
    return option.startsWith("-Xshare")
        || option.startsWith("-XX:SharedArchiveFile")
        || option.startsWith("-XX:ArchiveClassesAtExit")
        || option.startsWith("-XX:SharedClassListFile")
        || option.startsWith("-XX:DumpLoadedClassList");
  }

  /** The default directory, or {@code null} if this is turned off. */
  static Path directory() {
    if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim())) {
      return null;
    }
    try {
      String set = System.getProperty(DIRECTORY_PROPERTY);
      if (set != null && !set.isBlank()) {
        return Path.of(set).toAbsolutePath();
      }
      String xdg = System.getenv("XDG_CACHE_HOME");
      Path cache =
          xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
              ? Path.of(xdg)
              : Path.of(System.getProperty("user.home"), ".cache");
      return cache.resolve("multiprocessing4j").resolve("cds");
    } catch (RuntimeException e) {
      return null; // an invalid path
    }
  }

  /**
   * The class path without entries that cannot hold classes, or {@code null} if it has a directory
   * (the current directory included: an empty entry) and so cannot be archived.
   */
  static String jarsOnly(String classPath) throws IOException {
    List<String> jars = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator, -1)) {
      if (entry.isEmpty()) {
        return null;
      }
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        return null;
      }
      if (Files.isRegularFile(path) && isZip(path)) {
        jars.add(entry);
      }
    }
    return jars.isEmpty() ? null : String.join(File.pathSeparator, jars);
  }

  private static boolean isZip(Path path) throws IOException {
    byte[] head = new byte[4];
    try (InputStream in = Files.newInputStream(path)) {
      // local file header, or the end record of an empty archive
      return in.readNBytes(head, 0, 4) == 4
          && head[0] == 'P'
          && head[1] == 'K'
          && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }
  }

  // String.split drops trailing empty entries: the key stays what existing archives were named by
  @SuppressWarnings("StringSplitter")
  static String key(String role, String jars, List<String> options) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has it
    }
    List<String> parts = new ArrayList<>();
    parts.add("v1");
    parts.add(role);
    parts.add(System.getProperty("java.home"));
    parts.add(System.getProperty("java.vm.name"));
    parts.add(System.getProperty("java.vm.version"));
    parts.add(System.getProperty("os.arch"));
    for (String jar : jars.split(File.pathSeparator)) {
      Path path = Path.of(jar);
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      parts.add(path.toAbsolutePath().normalize().toString());
      parts.add(Long.toString(attributes.size()));
      parts.add(Long.toString(attributes.lastModifiedTime().toMillis()));
    }
    parts.add("--");
    parts.addAll(options);
    for (String part : parts) {
      digest.update(part.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 16);
  }

  /**
   * An archive is used only as a regular file that nobody else may have written: on POSIX systems,
   * not writable by group or others (the JVM maps it as code).
   */
  static boolean usable(Path archive) throws IOException {
    if (!Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    PosixFileAttributeView posix =
        Files.getFileAttributeView(
            archive, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (posix != null) {
      Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
      if (permissions.contains(PosixFilePermission.GROUP_WRITE)
          || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        return false;
      }
    }
    return true;
  }

  /** Creates the directory (owner-only) if needed and returns a fresh temporary name in it. */
  private static Path prepareTemp(Path directory, Path archive) throws IOException {
    if (!Files.isDirectory(directory)) {
      if (Files.getFileStore(existingAncestor(directory))
          .supportsFileAttributeView(PosixFileAttributeView.class)) {
        Files.createDirectories(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    }
    if (!Files.isWritable(directory)) {
      throw new IOException("not writable: " + directory);
    }
    removeAbandonedTemps(directory);
    removeOldArchives(directory, archive);
    long pid = ProcessHandle.current().pid();
    return directory.resolve(
        archive.getFileName() + "." + pid + "-" + TEMP_NAMES.incrementAndGet() + TEMP_SUFFIX);
  }

  private static Path existingAncestor(Path path) {
    Path p = path;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? path.getRoot() : p;
  }

  /**
   * Temporary files of parents that are gone (named {@code <archive>.<pid>-<n>.tmp}): their child
   * exited without a parent to put the archive in place.
   */
  private static void removeAbandonedTemps(Path directory) {
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, "*" + TEMP_SUFFIX)) {
      for (Path file : temps) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.', name.length() - TEMP_SUFFIX.length() - 1);
        int dash = name.lastIndexOf('-');
        try {
          long pid = Long.parseLong(name.substring(dot + 1, dash));
          if (ProcessHandle.of(pid).isEmpty()) {
            deleteQuietly(file);
          }
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
          // not ours
        }
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException | RuntimeException e) {
      // it only decides which archives are removed first
    }
  }

  /**
   * Every rebuilt jar means a new archive (megabytes; tens for a manager): beyond the {@value
   * #KEEP} most recently used archives of a role, the others go.
   */
  static void removeOldArchives(Path directory, Path recording) {
    String name = recording.getFileName().toString();
    String role = name.substring(0, name.lastIndexOf('-') + 1);
    List<Path> archives = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, role + "*" + SUFFIX)) {
      for (Path file : files) {
        String rest = file.getFileName().toString().substring(role.length());
        if (rest.indexOf('-') < 0) { // not the archive of a role whose name extends this one
          archives.add(file);
        }
      }
      archives.sort(Comparator.comparing(ClassDataArchive::modified).reversed());
      for (Path old : archives.subList(Math.min(KEEP - 1, archives.size()), archives.size())) {
        deleteQuietly(old);
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // best effort
    }
  }
}
