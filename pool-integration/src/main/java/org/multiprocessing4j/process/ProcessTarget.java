package org.multiprocessing4j.process;

import java.io.Serializable;

/**
 * What a {@link JvmProcess} runs in its child JVM: Python's {@code target=}. A lambda or method
 * reference whose target type is this interface is serializable, and so must be everything it
 * captures; proxies of shared objects travel as references. It may throw: the child then prints the
 * stack trace and exits with code 1, and the parent gets the exception from {@link
 * JvmProcess#failure()}.
 */
@FunctionalInterface
public interface ProcessTarget extends Serializable {
  /** Runs in the child JVM. */
  void run() throws Exception;
}
