package io.bamqp.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects what one logger writes, formatted as the journal would read it, while open. */
public final class LogLines implements AutoCloseable {
  private final Logger logger;
  private final Level levelBefore;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          lines.add(record.getLevel().getName() + " " + formatter.formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogLines(String name) {
    logger = Logger.getLogger(name);
    levelBefore = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Starts collecting the records of {@code name} (and its children), every level. */
  public static LogLines of(String name) {
    return new LogLines(name);
  }

  /** Every line so far: {@code LEVEL message}, with JUL's level names (INFO, WARNING, FINE). */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines at INFO. */
  public List<String> info() {
    return lines.stream().filter(line -> line.startsWith("INFO ")).toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(levelBefore);
  }
}
