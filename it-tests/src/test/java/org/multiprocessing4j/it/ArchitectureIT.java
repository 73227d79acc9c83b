package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The layout rules of docs/architecture.md, checked on the built jars (failsafe runs after {@code
 * package}, so the reactor's modules are on the class path as jars): every package lives in one
 * jar, every jar names its module, the API and client jars have no public class outside the API,
 * {@code spi} and {@code internal} packages, and every public class of an internal package there is
 * marked {@code @Internal}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchitectureIT {
  private static final String INTERNAL_MARKER = "Lorg/multiprocessing4j/Internal;";

  /** The published jars and the module name each must carry. */
  private static final Map<String, String> MODULE_NAMES =
      Map.of(
          "multiprocessing4j-proto", "org.multiprocessing4j.proto",
          "multiprocessing4j-api", "org.multiprocessing4j.api",
          "multiprocessing4j-client", "org.multiprocessing4j.client",
          "multiprocessing4j-server", "org.multiprocessing4j.server",
          "multiprocessing4j-pool", "org.multiprocessing4j.pool",
          "multiprocessing4j-testcontainers", "org.multiprocessing4j.testcontainers",
          "multiprocessing4j-examples", "org.multiprocessing4j.examples");

  // artifactId -> jar on the class path
  private static final Map<String, File> JARS = new TreeMap<>();

  // the jars are named by the non-empty entries
  @SuppressWarnings("StringSplitter")
  @BeforeAll
  static void findJars() {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      File file = new File(entry);
      String name = file.getName();
      if (file.isFile() && name.startsWith("multiprocessing4j-") && name.endsWith(".jar")) {
        // multiprocessing4j-api-0.1.0-SNAPSHOT.jar -> multiprocessing4j-api
        String artifact = name.substring(0, name.lastIndexOf('-', name.indexOf(".jar")));
        artifact = artifact.replaceFirst("-\\d[^-]*$", "");
        if (MODULE_NAMES.containsKey(artifact)) { // not this module's own (empty) jar
          JARS.put(artifact, file);
        }
      }
    }
    assertEquals(
        new TreeSet<>(MODULE_NAMES.keySet()),
        JARS.keySet(),
        "the published jars on the class path (run by failsafe, after package)");
  }

  @Test
  void everyPackageLivesInOneJar() throws IOException {
    Map<String, String> jarOfPackage = new TreeMap<>();
    List<String> split = new ArrayList<>();
    for (Map.Entry<String, File> jar : JARS.entrySet()) {
      for (String pkg : packages(jar.getValue())) {
        String other = jarOfPackage.putIfAbsent(pkg, jar.getKey());
        if (other != null) {
          split.add(pkg + " in " + other + " and " + jar.getKey());
        }
      }
    }
    assertTrue(split.isEmpty(), "split packages: " + split);
    assertEquals("multiprocessing4j-api", jarOfPackage.get("org.multiprocessing4j"));
  }

  @Test
  void everyJarNamesItsModule() throws IOException {
    for (Map.Entry<String, File> jar : JARS.entrySet()) {
      try (JarFile file = new JarFile(jar.getValue())) {
        assertEquals(
            MODULE_NAMES.get(jar.getKey()),
            file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"),
            jar.getKey());
      }
    }
  }

  @Test
  void theApiAndClientJarsExposeOnlyApiSpiAndMarkedInternals() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String artifact : List.of("multiprocessing4j-api", "multiprocessing4j-client")) {
      try (JarFile jar = new JarFile(JARS.get(artifact))) {
        for (JarEntry entry : java.util.Collections.list(jar.entries())) {
          String path = entry.getName();
          if (!path.endsWith(".class") || path.contains("$") || path.endsWith("-info.class")) {
            continue;
          }
          String className = path.substring(0, path.length() - ".class".length()).replace('/', '.');
          Class<?> type = Class.forName(className, false, getClass().getClassLoader());
          if (!Modifier.isPublic(type.getModifiers())) {
            continue;
          }
          String pkg = type.getPackageName();
          boolean internal = pkg.startsWith("org.multiprocessing4j.internal.");
          if (!internal
              && !pkg.equals("org.multiprocessing4j")
              && !pkg.equals("org.multiprocessing4j.spi")) {
            wrong.add(artifact + ": public " + className + " outside the API, spi and internal");
          }
          if (artifact.equals("multiprocessing4j-client") && !internal) {
            wrong.add(artifact + ": " + className + " (the client jar is implementation only)");
          }
          if (internal && !marked(jar, entry)) {
            wrong.add(artifact + ": public " + className + " is not marked @Internal");
          }
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void everyInternalPackageSaysSo() throws IOException {
    List<String> unmarked = new ArrayList<>();
    for (Map.Entry<String, File> jar : JARS.entrySet()) {
      try (JarFile file = new JarFile(jar.getValue())) {
        for (String pkg : packages(jar.getValue())) {
          if (pkg.contains(".internal.")
              && file.getEntry(pkg.replace('.', '/') + "/package-info.class") == null) {
            unmarked.add(jar.getKey() + ": " + pkg);
          }
        }
      }
    }
    assertTrue(unmarked.isEmpty(), "internal packages without package-info: " + unmarked);
  }

  private static Set<String> packages(File jarFile) throws IOException {
    Set<String> packages = new TreeSet<>();
    try (JarFile jar = new JarFile(jarFile)) {
      for (JarEntry entry : java.util.Collections.list(jar.entries())) {
        String path = entry.getName();
        if (path.endsWith(".class") && !path.startsWith("META-INF/") && path.contains("/")) {
          packages.add(path.substring(0, path.lastIndexOf('/')).replace('/', '.'));
        }
      }
    }
    return packages;
  }

  // @Internal has class retention: it is in the class file's constant pool, not visible to
  // reflection.
  private static boolean marked(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(INTERNAL_MARKER);
    }
  }
}
