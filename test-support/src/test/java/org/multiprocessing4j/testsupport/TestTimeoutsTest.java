package org.multiprocessing4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every test of the project has a timeout: a hung test fails instead of stalling the build. Reads
 * the sources of all modules (this module's directory's parent is the project's root): each module
 * with tests sets JUnit's default timeout, and each test class names its own with {@code @Timeout}
 * on the class or inherits it from its superclass (an abstract suite bound to tiers by empty
 * subclasses).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestTimeoutsTest {
  private static final Pattern TEST_ANNOTATION =
      Pattern.compile(
          "^\\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b",
          Pattern.MULTILINE);
  // @Timeout at the start of a line: on the top-level class (members' annotations are indented)
  private static final Pattern CLASS_TIMEOUT = Pattern.compile("^@Timeout\\b", Pattern.MULTILINE);
  private static final Pattern SUPERCLASS =
      Pattern.compile(
          "^(?:public |abstract |final )*class \\w+(?:<[^>]*>)? extends (\\w+)", Pattern.MULTILINE);

  private static Path root() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  }

  private static List<Path> modulesWithTests() throws IOException {
    try (Stream<Path> modules = Files.list(root())) {
      return modules.filter(m -> Files.isDirectory(m.resolve("src/test/java"))).sorted().toList();
    }
  }

  @Test
  void everyModuleWithTestsSetsADefaultTimeout() throws IOException {
    List<Path> modules = modulesWithTests();
    assertTrue(modules.size() >= 5, "found the modules under " + root() + ": " + modules);
    List<String> missing = new ArrayList<>();
    for (Path module : modules) {
      Path file = module.resolve("src/test/resources/junit-platform.properties");
      Properties properties = new Properties();
      if (Files.isRegularFile(file)) {
        try (var in = Files.newInputStream(file)) {
          properties.load(in);
        }
      }
      if (properties.getProperty("junit.jupiter.execution.timeout.default") == null) {
        missing.add(root().relativize(file).toString());
      }
    }
    assertEquals(List.of(), missing, "no junit.jupiter.execution.timeout.default");
  }

  @Test
  void everyTestClassHasATimeout() throws IOException {
    Map<String, String> sources = new HashMap<>(); // simple class name -> source
    for (Path module : modulesWithTests()) {
      try (Stream<Path> files = Files.walk(module.resolve("src/test/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          String name = file.getFileName().toString();
          sources.put(name.substring(0, name.length() - ".java".length()), Files.readString(file));
        }
      }
    }
    assertTrue(sources.containsKey("TestTimeoutsTest"), "read the test sources under " + root());
    List<String> without = new ArrayList<>();
    sources.forEach(
        (name, source) -> {
          if (TEST_ANNOTATION.matcher(source).find() && !hasTimeout(name, sources)) {
            without.add(name);
          }
        });
    without.sort(null);
    assertEquals(List.of(), without, "test classes without @Timeout on the class");
  }

  private static boolean hasTimeout(String name, Map<String, String> sources) {
    for (String current = name; current != null; ) {
      String source = sources.get(current);
      if (source == null) {
        return false;
      }
      if (CLASS_TIMEOUT.matcher(source).find()) {
        return true;
      }
      Matcher superclass = SUPERCLASS.matcher(source);
      current = superclass.find() ? superclass.group(1) : null;
    }
    return false;
  }
}
