package io.bamqp.proxy.cli;

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
 * command's error stream (stderr when run from a shell or a service manager).
 */
final class LogSetup {
  /** Held strongly: JUL keeps loggers weakly, and a collected logger forgets its level. */
  private static final Logger BAMQP = Logger.getLogger("io.bamqp");

  private LogSetup() {}

  static void configure(String level, PrintStream err) {
    LogManager.getLogManager().reset();
    Level ours =
        switch (level) {
          case "debug" -> Level.FINE;
          case "warn" -> Level.WARNING;
          case "error" -> Level.SEVERE;
          default -> Level.INFO;
        };
    Handler handler = new LineHandler(err);
    handler.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    root.setLevel(Level.INFO.intValue() < ours.intValue() ? ours : Level.INFO);
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
