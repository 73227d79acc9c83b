package org.multiprocessing4j.server;

import org.multiprocessing4j.proto.v1.ErrorCode;

/** A failure the manager reports with a specific error code rather than as a referent exception. */
final class CodedException extends Exception {
  private static final long serialVersionUID = 1L;

  final transient ErrorCode code;

  CodedException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }
}
