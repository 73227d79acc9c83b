package org.multiprocessing4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.multiprocessing4j.it.ExampleRun.FAILURE;
import static org.multiprocessing4j.it.ExampleRun.matching;
import static org.multiprocessing4j.it.ExampleRun.numbered;
import static org.multiprocessing4j.it.ExampleRun.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.multiprocessing4j.examples.DepositWithdraw;
import org.multiprocessing4j.examples.SeedDemo;
import org.multiprocessing4j.examples.ValueAndArray;

/**
 * Runs the README's shared-state seed programs (the demo, Value and Array, deposit/withdraw) as
 * their users would, each {@code main} in its own JVM with its own manager and {@code
 * JvmProcess}es, and checks what they print.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ExamplesIT {
  @Test
  void seedDemo_printsItsChecksAndOk() throws Exception {
    List<String> out = run(SeedDemo.class);
    assertTrue(out.contains("SeedDemo OK"), String.join("\n", out));
    assertEquals(20, matching(out, "  (deposit |withdraw) -?\\d+ -> -?\\d+").size());
    assertTrue(out.contains("array [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]"));
    assertEquals(List.of(), matching(out, FAILURE));
  }

  @Test
  void valueAndArray_oneProcessCountsToTenTheOtherFillsSquares() throws Exception {
    List<String> out = run(ValueAndArray.class);
    assertEquals(
        numbered("Value: ", IntStream.rangeClosed(1, 10)),
        matching(out, "Value: .*"),
        String.join("\n", out));
    List<String> arrays = matching(out, "Array: .*");
    assertEquals(10, arrays.size());
    assertEquals("Array: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]", arrays.get(9));
    assertEquals(List.of(), matching(out, FAILURE));
  }

  @Test
  void depositWithdraw_eachProcessHoldsTheLockForItsWholeLoop_andTheBalanceAddsUp()
      throws Exception {
    List<String> out = run(DepositWithdraw.class);
    String all = String.join("\n", out);
    // "  <balance> <change>" lines: ten of each sign, one process's ten together (the lock).
    Pattern step = Pattern.compile(" {2}(-?\\d+) +(-?\\d+)");
    List<int[]> steps = new ArrayList<>();
    for (String line : out) {
      Matcher matcher = step.matcher(line);
      if (matcher.matches()) {
        steps.add(
            new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))});
      }
    }
    assertEquals(20, steps.size(), all);
    int balance = 1000;
    for (int i = 0; i < steps.size(); i++) {
      balance += steps.get(i)[1];
      assertEquals(
          balance, steps.get(i)[0], "each line shows the balance after its change:\n" + all);
      assertEquals(
          Integer.signum(steps.get(i / 10 * 10)[1]),
          Integer.signum(steps.get(i)[1]),
          "a process's ten changes come together under the lock:\n" + all);
    }
    assertTrue(out.contains("end"), all);
    List<String> arrays = matching(out, "\\[1, 2, [38], 4, 5\\]");
    assertEquals(2, arrays.size(), all);
    assertTrue(arrays.contains("[1, 2, 8, 4, 5]"), all);
    assertEquals(List.of(), matching(out, FAILURE));
  }
}
