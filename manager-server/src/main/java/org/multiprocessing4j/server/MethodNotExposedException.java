package org.multiprocessing4j.server;

/** A client called a method its referent's type does not expose. */
final class MethodNotExposedException extends Exception {
  private static final long serialVersionUID = 1L;

  MethodNotExposedException(String typeId, String method) {
    super("type '" + typeId + "' does not expose method '" + method + "'");
  }
}
