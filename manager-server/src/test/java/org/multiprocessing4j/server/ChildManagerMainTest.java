package org.multiprocessing4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.SharedList;
import org.multiprocessing4j.testsupport.ChildJvm;
import picocli.CommandLine;

/**
 * The manager JVM of {@code Manager.start()} runs {@code ChildManagerMain}: the manager of {@code
 * ManagerMain} without its command-line parser, whose loading cost every start about 130 ms.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChildManagerMainTest {
  private static final byte[] KEY = "child-main-test".getBytes(StandardCharsets.UTF_8);

  @Test
  void aStartedManagerServesWithoutLoadingTheCommandLineParser() throws Exception {
    // A fixed path keeps the JVM options, and so the class data archive, the same from run to run.
    Path classLog = Path.of("target", "child-manager-classes.log");
    Files.deleteIfExists(classLog);
    try (Manager manager =
        Manager.builder()
            .authkey(KEY)
            .jvmOptions("-Xlog:class+load=info:file=" + classLog)
            .start()) {
      SharedList<Integer> list = manager.list(List.of(1, 2));
      list.add(3);
      assertEquals(List.of(1, 2, 3), list.copy());
    }
    String loaded = Files.readString(classLog);
    assertTrue(loaded.contains(ChildManagerMain.class.getName() + " "), "not the child main");
    assertTrue(loaded.contains(ManagerServer.class.getName() + " "), "no ManagerServer");
    assertFalse(loaded.contains(" picocli."), "the child loaded picocli");
  }

  @Test
  void itRefusesACommandLineThatManagerStartDidNotWrite() throws Exception {
    for (List<String> args :
        List.<List<String>>of(
            List.of("--port", "0"),
            List.of("tcp", "127.0.0.1"),
            List.of("tcp", "127.0.0.1", "x"),
            List.of())) {
      Process child =
          new ProcessBuilder(
                  ChildJvm.command(
                      List.of(), ChildManagerMain.class.getName(), args.toArray(String[]::new)))
              .redirectErrorStream(true)
              .start();
      String output = ChildJvm.finish(child, 2);
      assertTrue(output.contains(ManagerMain.class.getName()), output);
    }
  }

  @Test
  void managerMainStillShowsItsDefaultsWhichTheChildShares() {
    String usage = new CommandLine(new ManagerMain()).getUsageMessage().replaceAll("\\s+", " ");
    for (String shown :
        List.of(
            "(default: MP4J_AUTHKEY)",
            "(default: 67108864)",
            "(default: 1000000)",
            "(default: 10)",
            "(default: info)")) {
      assertTrue(usage.contains(shown), shown + " missing from:\n" + usage);
    }
  }
}
