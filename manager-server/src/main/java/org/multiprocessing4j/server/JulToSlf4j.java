package org.multiprocessing4j.server;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging (gRPC's logging) to SLF4J, so that a manager process logs in one format.
 * A record with an exception is one line, {@code message: Exception: text}, unless its logger is at
 * DEBUG, which also gets the stack trace: a client speaking the wrong protocol (an HTTP/1 request,
 * garbage, a bad HTTP/2 preface) is worth a line, not a stack trace.
 *
 * <p>Installed once at the start of {@link ManagerMain}; an embedded {@link ManagerServer} leaves
 * the application's logging alone. Thread-safe: {@link #publish} keeps no state.
 */
final class JulToSlf4j extends SLF4JBridgeHandler {
  private final SimpleFormatter messages = new SimpleFormatter();

  private JulToSlf4j() {}

  /** Replaces java.util.logging's console handler; {@code slf4jLevel} is {@code --log-level}. */
  static void install(String slf4jLevel) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    Logger root = LogManager.getLogManager().getLogger("");
    root.addHandler(new JulToSlf4j());
    // java.util.logging drops records below its own level before any handler sees them.
    root.setLevel(julLevel(slf4jLevel));
  }

  private static Level julLevel(String slf4jLevel) {
    return switch (slf4jLevel.toLowerCase(Locale.ROOT)) {
      case "trace" -> Level.FINEST;
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      case "off" -> Level.OFF;
      default -> Level.INFO;
    };
  }

  @Override
  public void publish(LogRecord record) {
    Throwable thrown = record.getThrown();
    if (thrown == null
        || record.getLoggerName() == null
        || LoggerFactory.getLogger(record.getLoggerName()).isDebugEnabled()) {
      super.publish(record);
      return;
    }
    LogRecord oneLine =
        new LogRecord(record.getLevel(), messages.formatMessage(record) + ": " + summary(thrown));
    oneLine.setLoggerName(record.getLoggerName());
    oneLine.setSourceClassName(record.getSourceClassName());
    oneLine.setSourceMethodName(record.getSourceMethodName());
    super.publish(oneLine);
  }

  /** {@code Http2Exception: HTTP/2 client preface string missing or corrupt...} on one line. */
  private static String summary(Throwable thrown) {
    String message = thrown.getMessage();
    String text =
        thrown.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
