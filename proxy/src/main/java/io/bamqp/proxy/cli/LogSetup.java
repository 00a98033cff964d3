package io.bamqp.proxy.cli;

import io.bamqp.proxy.config.BamqpConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Routes every log (ours through System.Logger, Vert.x's, Netty's) to one-line records on the
 * command's error stream (stderr when run from a shell or a service manager), or in {@code
 * log.file} rotated by size.
 */
final class LogSetup {
  /** Held strongly: JUL keeps loggers weakly, and a collected logger forgets its level. */
  private static final Logger BAMQP = Logger.getLogger("io.bamqp");

  /** Where records go; kept so the stop line can be written after JUL's own shutdown reset. */
  private static Handler output;

  private LogSetup() {}

  /** Logs to {@code err} at {@code level} ({@code demo}, and the default). */
  static synchronized void configure(String level, PrintStream err) {
    install(new LineHandler(err), level);
  }

  /**
   * Logs as {@code log} says: to {@code log.file} if set, else {@code err}.
   *
   * @throws IOException when {@code log.file} cannot be opened for appending
   */
  static synchronized void configure(BamqpConfig.Log log, PrintStream err) throws IOException {
    if (log.path() == null) {
      configure(log.level(), err);
    } else {
      install(RotatingLogFile.open(log.path(), log.maxBytes().bytes(), new OneLine()), log.level());
    }
  }

  /** Changes the level only (a reloaded config); where records go changes at a restart. */
  static synchronized void level(String level) {
    Level ours = julLevel(level);
    Logger.getLogger("").setLevel(Level.INFO.intValue() < ours.intValue() ? ours : Level.INFO);
    BAMQP.setLevel(ours);
  }

  /**
   * Like the console handler, on any stream: each record flushed at once, the stream never closed.
   */
  private static final class LineHandler extends StreamHandler {
    LineHandler(PrintStream err) {
      super(err, new OneLine());
    }

    @Override
    public synchronized void publish(LogRecord record) {
      super.publish(record);
      flush();
    }

    @Override
    public synchronized void close() {
      flush();
    }
  }

  /**
   * Writes one INFO line from {@code logger} straight to the output: for the stop line, written
   * from a shutdown hook, when the JDK's own hook may already have detached every handler.
   */
  static synchronized void lastWords(String logger, String message) {
    if (output != null) {
      LogRecord record = new LogRecord(Level.INFO, message);
      record.setLoggerName(logger);
      output.publish(record);
      output.flush();
    }
  }

  private static void install(Handler handler, String level) {
    LogManager.getLogManager().reset();
    if (output instanceof RotatingLogFile file) {
      file.shut();
    }
    handler.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(handler);
    output = handler;
    level(level);
  }

  private static Level julLevel(String level) {
    return switch (level) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }

  private static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line =
          new StringBuilder()
              .append(Instant.ofEpochMilli(record.getMillis()).truncatedTo(ChronoUnit.MILLIS))
              .append(' ')
              .append(String.format("%-5s", shortLevel(record.getLevel())))
              .append(' ')
              .append(record.getLoggerName())
              .append(": ")
              .append(formatMessage(record))
              .append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }

    private static String shortLevel(Level level) {
      if (level.intValue() >= Level.SEVERE.intValue()) {
        return "ERROR";
      }
      if (level.intValue() >= Level.WARNING.intValue()) {
        return "WARN";
      }
      return level.intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
    }
  }
}
