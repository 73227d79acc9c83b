package org.multiprocessing4j.internal.client;

import java.util.Map;
import java.util.function.Function;
import org.multiprocessing4j.ManagerException;
import org.multiprocessing4j.RemoteStackTrace;
import org.multiprocessing4j.internal.proxy.RemoteCheckedException;
import org.multiprocessing4j.proto.v1.ErrorCode;
import org.multiprocessing4j.proto.v1.RemoteError;

/**
 * Remote failures to local exceptions: the same JDK type where one fits (with the manager-side
 * stack trace attached as the cause), otherwise a {@link ManagerException} with a code.
 */
final class RemoteErrors {
  private static final Map<String, Function<String, Exception>> JDK_TYPES =
      Map.ofEntries(
          Map.entry("java.lang.IndexOutOfBoundsException", IndexOutOfBoundsException::new),
          Map.entry(
              "java.lang.ArrayIndexOutOfBoundsException", ArrayIndexOutOfBoundsException::new),
          Map.entry(
              "java.lang.StringIndexOutOfBoundsException", StringIndexOutOfBoundsException::new),
          Map.entry("java.util.NoSuchElementException", java.util.NoSuchElementException::new),
          Map.entry("java.lang.ClassCastException", ClassCastException::new),
          Map.entry("java.lang.UnsupportedOperationException", UnsupportedOperationException::new),
          Map.entry("java.lang.IllegalArgumentException", IllegalArgumentException::new),
          Map.entry("java.lang.NumberFormatException", NumberFormatException::new),
          Map.entry("java.lang.IllegalStateException", IllegalStateException::new),
          Map.entry("java.lang.IllegalMonitorStateException", IllegalMonitorStateException::new),
          Map.entry("java.lang.NullPointerException", NullPointerException::new),
          Map.entry("java.lang.ArithmeticException", ArithmeticException::new),
          Map.entry("java.lang.ArrayStoreException", ArrayStoreException::new),
          Map.entry(
              "java.util.ConcurrentModificationException",
              java.util.ConcurrentModificationException::new),
          Map.entry(
              "java.util.concurrent.CancellationException",
              java.util.concurrent.CancellationException::new),
          Map.entry(
              "java.util.concurrent.BrokenBarrierException",
              java.util.concurrent.BrokenBarrierException::new),
          Map.entry(
              "java.util.concurrent.TimeoutException", java.util.concurrent.TimeoutException::new),
          Map.entry("java.io.EOFException", java.io.EOFException::new));

  private RemoteErrors() {}

  static RuntimeException toException(RemoteError error) {
    ManagerException.Code code = code(error.getCode());
    String trace = error.getRemoteStackTrace().isEmpty() ? null : error.getRemoteStackTrace();
    if (code == ManagerException.Code.METHOD_FAILED
        || code == ManagerException.Code.CREATE_FAILED) {
      Function<String, Exception> jdkType = JDK_TYPES.get(error.getExceptionClass());
      if (jdkType != null) {
        Exception e = jdkType.apply(error.getMessage().isEmpty() ? null : error.getMessage());
        if (trace != null) {
          e.initCause(new RemoteStackTrace(trace));
        }
        return e instanceof RuntimeException runtimeException
            ? runtimeException
            : new RemoteCheckedException(e);
      }
      String what =
          code == ManagerException.Code.CREATE_FAILED ? "creating the object failed: " : "";
      return new ManagerException(
          code, what + error.getExceptionClass() + ": " + error.getMessage(), trace, null);
    }
    return new ManagerException(code, error.getMessage(), trace, null);
  }

  static ManagerException.Code code(ErrorCode code) {
    return switch (code) {
      case METHOD_FAILED -> ManagerException.Code.METHOD_FAILED;
      case UNKNOWN_OBJECT -> ManagerException.Code.UNKNOWN_OBJECT;
      case UNKNOWN_TYPE -> ManagerException.Code.UNKNOWN_TYPE;
      case METHOD_NOT_EXPOSED -> ManagerException.Code.METHOD_NOT_EXPOSED;
      case UNSUPPORTED_VALUE -> ManagerException.Code.UNSUPPORTED_VALUE;
      case AUTHENTICATION_FAILED -> ManagerException.Code.AUTHENTICATION_FAILED;
      case MANAGER_SHUT_DOWN -> ManagerException.Code.MANAGER_SHUT_DOWN;
      case MESSAGE_TOO_LARGE -> ManagerException.Code.MESSAGE_TOO_LARGE;
      case SESSION_EXPIRED -> ManagerException.Code.SESSION_EXPIRED;
      case CREATE_FAILED -> ManagerException.Code.CREATE_FAILED;
      case CANCELLED -> ManagerException.Code.CANCELLED;
      case LIMIT_EXCEEDED -> ManagerException.Code.LIMIT_EXCEEDED;
      case PROTOCOL_ERROR -> ManagerException.Code.PROTOCOL_ERROR;
      default -> ManagerException.Code.INTERNAL;
    };
  }
}
