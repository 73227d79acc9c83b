package org.multiprocessing4j.process;

/**
 * A parent JVM for {@link JvmProcessParentIT}: starts one child process and then either waits to be
 * killed or returns from {@code main} without joining it.
 *
 * <p>Argument: {@code daemon-killed} (a daemon child; then waits to be killed), {@code
 * daemon-returns} (a daemon child; main returns), {@code non-daemon-returns} (a child that works
 * for a while; main returns) or {@code long-lines} (two children print long lines at once).
 */
final class ProcessParentMain {
  static final String CHILD = "CHILD_PID ";
  static final String CHILD_RUNNING = "CHILD_RUNNING";
  static final String CHILD_DONE = "CHILD_DONE";
  static final String MAIN_RETURNS = "MAIN_RETURNS";
  static final int LONG_LINE = 2000;
  static final int LONG_LINES = 300;

  private ProcessParentMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    if (mode.equals("long-lines")) {
      printLongLinesFromTwoChildren();
      return;
    }
    boolean daemon = mode.startsWith("daemon");
    ProcessTarget target =
        daemon ? ProcessParentMain::runForever : ProcessParentMain::workThenReturn;
    JvmProcess child =
        JvmProcess.builder()
            .target(target)
            .daemon(daemon)
            .jvmOptions(JvmProcessTest.TEST_JVM)
            .build()
            .start();
    System.out.println(CHILD + child.pid().getAsLong());
    if (mode.equals("daemon-killed")) {
      Thread.sleep(Long.MAX_VALUE); // until killed
    }
    System.out.println(MAIN_RETURNS);
  }

  /** Two children write long lines at once to this JVM's standard output, which they inherit. */
  private static void printLongLinesFromTwoChildren() throws InterruptedException {
    JvmProcess a = JvmProcess.builder().target(() -> printLongLines('a')).build().start();
    JvmProcess b = JvmProcess.builder().target(() -> printLongLines('b')).build().start();
    a.join();
    b.join();
    System.out.println(MAIN_RETURNS);
  }

  static void printLongLines(char c) {
    String line = String.valueOf(c).repeat(LONG_LINE);
    for (int i = 0; i < LONG_LINES; i++) {
      System.out.println(line);
    }
  }

  private static void runForever() throws InterruptedException {
    System.out.println(CHILD_RUNNING);
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void workThenReturn() throws InterruptedException {
    System.out.println(CHILD_RUNNING);
    Thread.sleep(1500);
    System.out.println(CHILD_DONE);
  }
}
