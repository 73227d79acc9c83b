package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClassDataArchiveTest {
  private static final List<String> OPTIONS = List.of("-Xmx64m", "-XX:TieredStopAtLevel=1");

  @TempDir Path tmp;

  /** A child's main class: prints where the JVM loaded it from (with -Xlog:class+load). */
  static final class Child {
    public static void main(String[] args) {
      System.out.println("child ran");
    }
  }

  /** A child that runs until its standard input closes. */
  static final class Blocker {
    public static void main(String[] args) throws IOException {
      while (System.in.read() >= 0) {
        // until the end
      }
    }
  }

  @Test
  void theFirstChildRecordsTheArchiveAndLaterChildrenMapIt() throws Exception {
    Path directory = tmp.resolve("cds");
    String classPath = childJar("child.jar").toString();

    ClassDataArchive first = ClassDataArchive.forChild("test", classPath, OPTIONS, directory);
    assertTrue(first.records());
    assertTrue(
        first.jvmOptions().stream().anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit=")));
    // While it records, other children of this JVM neither record nor wait.
    ClassDataArchive meanwhile = ClassDataArchive.forChild("test", classPath, OPTIONS, directory);
    assertFalse(meanwhile.records());
    assertEquals(List.of(), meanwhile.jvmOptions());
    String output = run(first, List.of());
    assertTrue(output.contains("child ran"), output);
    assertFalse(output.contains("cds"), "the JVM's archive messages are off: " + output);
    assertTrue(Files.isRegularFile(first.archive()));
    assertTrue(ClassDataArchive.complete(first.archive()));
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(List.of(first.archive()), files.toList(), "no temporary file is left");
    }
    if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
      assertEquals(
          "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
    }

    ClassDataArchive second = ClassDataArchive.forChild("test", classPath, OPTIONS, directory);
    assertFalse(second.records());
    assertEquals(first.archive(), second.archive());
    assertTrue(second.jvmOptions().contains("-XX:SharedArchiveFile=" + first.archive()));
    String loaded = run(second, List.of("-Xlog:class+load=info"));
    assertTrue(
        loaded.contains(Child.class.getName() + " source: shared objects file (top)"), loaded);
  }

  @Test
  void theKeyChangesWithTheClassPathTheJarsTheOptionsAndTheRole() throws Exception {
    Path a = childJar("a.jar");
    Path b = childJar("b.jar");
    String base = ClassDataArchive.key("test", a.toString(), OPTIONS);
    assertEquals(base, ClassDataArchive.key("test", a.toString(), OPTIONS));
    assertNotEquals(base, ClassDataArchive.key("test", a + File.pathSeparator + b, OPTIONS));
    assertNotEquals(base, ClassDataArchive.key("test", a.toString(), List.of("-Xmx64m")));
    assertNotEquals(base, ClassDataArchive.key("other", a.toString(), OPTIONS));
    Files.setLastModifiedTime(
        a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() - 60_000));
    assertNotEquals(base, ClassDataArchive.key("test", a.toString(), OPTIONS), "a rebuilt jar");
  }

  @Test
  void onlyJarClassPathsTakePartAndEntriesWithoutClassesAreLeftOut() throws Exception {
    Path jar = childJar("child.jar");
    Path notAZip = Files.writeString(tmp.resolve("deps.pom"), "<project/>");
    Path missing = tmp.resolve("missing.jar");
    String withOddEntries =
        String.join(File.pathSeparator, jar.toString(), notAZip.toString(), missing.toString());
    assertEquals(jar.toString(), ClassDataArchive.jarsOnly(withOddEntries));
    ClassDataArchive plan =
        ClassDataArchive.forChild("test", withOddEntries, OPTIONS, tmp.resolve("cds"));
    assertEquals(jar.toString(), plan.classPath());

    Path classes = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(classes.resolve("A.class"), "not empty");
    String withDirectory = jar + File.pathSeparator + classes;
    assertNull(ClassDataArchive.jarsOnly(withDirectory));
    ClassDataArchive none = ClassDataArchive.forChild("test", withDirectory, OPTIONS, tmp);
    assertEquals(List.of(), none.jvmOptions());
    assertEquals(withDirectory, none.classPath(), "unchanged when no archive is used");
    assertNull(ClassDataArchive.jarsOnly(jar + File.pathSeparator), "an empty entry: the cwd");
  }

  @Test
  void childrenWithTheirOwnCdsOptionsAreLeftAlone() throws Exception {
    String classPath = childJar("child.jar").toString();
    for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=x.jsa")) {
      ClassDataArchive plan =
          ClassDataArchive.forChild("test", classPath, List.of(option), tmp.resolve("cds"));
      assertEquals(List.of(), plan.jvmOptions());
      assertFalse(plan.records());
    }
  }

  @Test
  void thePropertyTurnsItOff() throws Exception {
    String classPath = childJar("child.jar").toString();
    String before = System.getProperty(ClassDataArchive.ENABLED_PROPERTY);
    System.setProperty(ClassDataArchive.ENABLED_PROPERTY, "false");
    try {
      assertNull(ClassDataArchive.directory());
      ClassDataArchive plan = ClassDataArchive.forChild("test", classPath, OPTIONS);
      assertEquals(List.of(), plan.jvmOptions());
      assertEquals(classPath, plan.classPath());
    } finally {
      restore(ClassDataArchive.ENABLED_PROPERTY, before);
    }
  }

  @Test
  void theDirectoryPropertyIsUsed() {
    String before = System.getProperty(ClassDataArchive.DIRECTORY_PROPERTY);
    System.setProperty(ClassDataArchive.DIRECTORY_PROPERTY, tmp.resolve("here").toString());
    try {
      assertEquals(tmp.resolve("here"), ClassDataArchive.directory());
    } finally {
      restore(ClassDataArchive.DIRECTORY_PROPERTY, before);
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedCostsOnlyTheArchive() throws Exception {
    String classPath = childJar("child.jar").toString();
    Path file = Files.writeString(tmp.resolve("a-file"), "");
    ClassDataArchive plan =
        ClassDataArchive.forChild("test", classPath, OPTIONS, file.resolve("cds"));
    assertFalse(plan.records());
    assertEquals(List.of(), plan.jvmOptions());
    assertTrue(run(plan, List.of()).contains("child ran"));
  }

  @Test
  void aChildKilledWhileRecordingLeavesNoArchive() throws Exception {
    Path directory = tmp.resolve("cds");
    String classPath = childJar("child.jar").toString();
    ClassDataArchive plan = ClassDataArchive.forChild("test", classPath, OPTIONS, directory);
    assertTrue(plan.records());
    Process child = start(plan, List.of(), Blocker.class.getName());
    child.destroyForcibly(); // kill -9: it never gets to write the archive
    plan.started(child).get(60, TimeUnit.SECONDS);
    try (Stream<Path> files = Files.list(directory)) {
      assertEquals(List.of(), files.toList());
    }
    // and the next child records again
    assertTrue(ClassDataArchive.forChild("test", classPath, OPTIONS, directory).records());
  }

  @Test
  void anArchiveOthersMayWriteIsNotUsed() throws Exception {
    Path archive = Files.writeString(tmp.resolve("x.jsa"), "");
    assertTrue(ClassDataArchive.usable(archive));
    if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-r--"));
      assertFalse(ClassDataArchive.usable(archive));
    }
    assertFalse(ClassDataArchive.complete(archive), "no header: not a complete archive");
  }

  @Test
  void onlyTheMostRecentlyUsedArchivesOfARoleAreKept() throws Exception {
    Path directory = Files.createDirectories(tmp.resolve("cds"));
    List<Path> archives = new ArrayList<>();
    for (int i = 0; i < ClassDataArchive.KEEP + 2; i++) {
      Path archive = Files.writeString(directory.resolve("pool-worker-" + i + ".jsa"), "");
      Files.setLastModifiedTime(archive, FileTime.fromMillis(1_000_000L * (i + 1)));
      archives.add(archive);
    }
    Path otherRole = Files.writeString(directory.resolve("manager-0.jsa"), "");
    Files.setLastModifiedTime(otherRole, FileTime.fromMillis(0));
    ClassDataArchive.removeOldArchives(directory, directory.resolve("pool-worker-new.jsa"));
    for (int i = 0; i < archives.size(); i++) {
      // room for the one being recorded: KEEP - 1 of the others stay, the newest
      assertEquals(
          i >= archives.size() - (ClassDataArchive.KEEP - 1),
          Files.exists(archives.get(i)),
          archives.get(i).toString());
    }
    assertTrue(Files.exists(otherRole));
  }

  private Path childJar(String name) throws IOException {
    Path jar = tmp.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (Class<?> main : List.of(Child.class, Blocker.class)) {
        String entry = main.getName().replace('.', '/') + ".class";
        try (InputStream in = main.getClassLoader().getResourceAsStream(entry)) {
          out.putNextEntry(new JarEntry(entry));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private Process start(ClassDataArchive plan, List<String> extra, String main) throws IOException {
    // The plan under test, not a role: its options and class path are handed over as they are.
    return JvmLauncher.mainClass(main)
        .classPath(plan.classPath())
        .jvmOptions(plan.jvmOptions())
        .jvmOptions(OPTIONS)
        .jvmOptions(extra)
        .errorToOutput()
        .start()
        .process();
  }

  /** Runs the child to its end and returns its output, once its archive (if any) is in place. */
  private String run(ClassDataArchive plan, List<String> extra) throws Exception {
    Process child = start(plan, extra, Child.class.getName());
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    plan.started(child).get(60, TimeUnit.SECONDS);
    assertEquals(0, child.exitValue(), output);
    return output;
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
