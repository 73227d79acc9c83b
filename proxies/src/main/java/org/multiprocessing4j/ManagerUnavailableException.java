package org.multiprocessing4j;

/**
 * The manager cannot be reached: it died, its address refuses connections, or the connection broke
 * during a call. Raised promptly (the connection's end is noticed as it happens), never by waiting
 * forever. A call that fails this way may or may not have run on the manager.
 */
public class ManagerUnavailableException extends ManagerException {
  private static final long serialVersionUID = 1L;

  public ManagerUnavailableException(String message) {
    super(Code.UNAVAILABLE, message);
  }

  public ManagerUnavailableException(String message, Throwable cause) {
    super(Code.UNAVAILABLE, message, cause);
  }
}
