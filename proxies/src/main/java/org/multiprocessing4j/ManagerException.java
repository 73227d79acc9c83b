package org.multiprocessing4j;

import static java.util.Objects.requireNonNull;

/**
 * A failure reported by or about a manager that has no matching JDK exception type: an unknown
 * object, a method the type does not expose, a value that cannot be sent, a refused authkey, a
 * manager that shut down. {@link #code()} says which; {@link #remoteStackTrace()} carries the
 * manager-side stack trace as text when the failure happened there.
 */
public class ManagerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Code {
    /** The referent's method threw an exception with no JDK counterpart on this side. */
    METHOD_FAILED,
    /**
     * No object with that id: it was freed (all its proxies dropped) or never existed; or a
     * deserialized reference was made by another manager (one that is gone, replaced at the same
     * address), so the object it named is not there.
     */
    UNKNOWN_OBJECT,
    /** No type registered under that id on the manager. */
    UNKNOWN_TYPE,
    /** The type does not expose that method. */
    METHOD_NOT_EXPOSED,
    /** A value of a type outside the value model, caught before anything was sent. */
    UNSUPPORTED_VALUE,
    /** The authkey was refused (or the manager could not prove it holds the same key). */
    AUTHENTICATION_FAILED,
    /** The manager was shut down, or this client was closed. */
    MANAGER_SHUT_DOWN,
    /**
     * A message exceeded the configured maximum size (the smaller of the client's and the
     * manager's), or a value could never be sent back within it; nothing was done.
     */
    MESSAGE_TOO_LARGE,
    /** The manager ended this session (its lease expired); references and locks were released. */
    SESSION_EXPIRED,
    /** Creating an object failed on the manager (bad arguments to its factory). */
    CREATE_FAILED,
    /** A blocking call was cancelled. */
    CANCELLED,
    /** A configured limit (objects or bytes per session) was reached. */
    LIMIT_EXCEEDED,
    /** The manager cannot be reached. See {@link ManagerUnavailableException}. */
    UNAVAILABLE,
    /** A malformed message or a protocol violation. */
    PROTOCOL_ERROR,
    /** A fault inside the manager. */
    INTERNAL
  }

  private final Code code;
  private final String remoteStackTrace;

  public ManagerException(Code code, String message) {
    this(code, message, null, null);
  }

  public ManagerException(Code code, String message, Throwable cause) {
    this(code, message, null, cause);
  }

  public ManagerException(Code code, String message, String remoteStackTrace, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code");
    this.remoteStackTrace = remoteStackTrace;
  }

  /** What went wrong. */
  public Code code() {
    return code;
  }

  /** The manager-side stack trace, or {@code null} if the failure did not happen in the manager. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }

  @Override
  @SuppressWarnings(
      "OverrideThrowableToString") // the remote trace belongs in printouts, not in the message
  public String toString() {
    String base = super.toString() + " [" + code + "]";
    return remoteStackTrace == null ? base : base + "\nRemote stack trace:\n" + remoteStackTrace;
  }
}
