package org.multiprocessing4j.process;

/**
 * A {@link JvmProcess} could not be started: its target cannot be serialized (the cause names the
 * class, e.g. a {@link java.io.NotSerializableException}), it uses shared objects but no manager
 * was given, or the JVM could not be launched. No child JVM is left running.
 */
public final class JvmProcessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JvmProcessException(String message) {
    super(message);
  }

  public JvmProcessException(String message, Throwable cause) {
    super(message, cause);
  }
}
