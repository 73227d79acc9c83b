package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JvmLauncherTest {
  /** Prints what it was started with. */
  public static final class Probe {
    public static void main(String[] args) {
      System.out.println("args=" + String.join(",", args));
      System.out.println("prop=" + System.getProperty("mp4j.probe"));
      System.out.println("set=" + System.getenv("MP4J_PROBE_SET"));
      System.out.println("removed=" + System.getenv("PATH"));
      System.err.println("to-error");
    }
  }

  @Test
  void commandLineIsJavaOptionsClassPathMainClassArguments() {
    List<String> command =
        JvmLauncher.mainClass("com.example.Main")
            .classPath("a.jar" + File.pathSeparator + "b.jar")
            .jvmOptions("-Xmx64m")
            .jvmOptions(List.of("-Dx=1"))
            .arguments("one", "two")
            .command();
    assertEquals(
        List.of(
            JvmLauncher.javaExecutable(),
            "-Xmx64m",
            "-Dx=1",
            "-cp",
            "a.jar" + File.pathSeparator + "b.jar",
            "com.example.Main",
            "one",
            "two"),
        command);
    assertTrue(Files.isExecutable(Path.of(JvmLauncher.javaExecutable())));
  }

  @Test
  void startsThisJvmsClassPathWithOptionsArgumentsAndEnvironment() throws Exception {
    JvmLauncher.Started started =
        JvmLauncher.mainClass(Probe.class)
            .jvmOptions("-Dmp4j.probe=yes")
            .arguments("a", "b c")
            .environment("MP4J_PROBE_SET", "value")
            .withoutEnvironment("PATH")
            .errorToOutput()
            .start();
    Process process = started.process();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("args=a,b c"), output);
    assertTrue(output.contains("prop=yes"), output);
    assertTrue(output.contains("set=value"), output);
    assertTrue(output.contains("removed=null"), output);
    assertTrue(output.contains("to-error"), output);
    assertFalse(started.recordsArchive()); // no archive role
  }

  @Test
  void anUnstartableJvmIsAnIOException(@TempDir Path directory) {
    JvmLauncher launcher =
        JvmLauncher.mainClass(Probe.class).directory(directory.resolve("does-not-exist"));
    assertThrows(IOException.class, launcher::start);
  }
}
