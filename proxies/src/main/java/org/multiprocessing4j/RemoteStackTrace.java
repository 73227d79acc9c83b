package org.multiprocessing4j;

/**
 * Attached as the cause of an exception re-raised from the manager, so the manager-side stack trace
 * shows in the client's stack trace (Python's manager loses it).
 */
public final class RemoteStackTrace extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RemoteStackTrace(String remoteStackTrace) {
    super("manager-side stack trace:\n" + remoteStackTrace, null, false, false);
  }
}
