package org.multiprocessing4j.process;

/**
 * A parent JVM for {@link JvmProcessParentIT}: starts one child process and then either waits to be
 * killed or returns from {@code main} without joining it.
 *
 * <p>Argument: {@code daemon-killed} (a daemon child; then waits to be killed), {@code
 * daemon-returns} (a daemon child; main returns) or {@code non-daemon-returns} (a child that works
 * for a while; main returns).
 */
final class ProcessParentMain {
  static final String CHILD = "CHILD_PID ";
  static final String CHILD_RUNNING = "CHILD_RUNNING";
  static final String CHILD_DONE = "CHILD_DONE";
  static final String MAIN_RETURNS = "MAIN_RETURNS";

  private ProcessParentMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
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
