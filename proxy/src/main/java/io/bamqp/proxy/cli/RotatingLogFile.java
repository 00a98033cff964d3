package io.bamqp.proxy.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * {@code log.file}: appends one-line records to a file and, when the next record would take it past
 * {@code maxBytes}, moves it to {@code FILE.1} (replacing the older one) and starts afresh; so at
 * most twice {@code maxBytes} stay on disk, which matters on a router's flash. JUL's own {@code
 * FileHandler} would name the live file {@code FILE.0} and leave a lock file beside it.
 *
 * <p>{@link #close()} only flushes: the JDK's logging shutdown hook closes every handler while
 * {@code run}'s own hook still has its stop line to write. {@link #shut()} closes for real.
 */
final class RotatingLogFile extends Handler {
  private final Path file;
  private final Path previous;
  private final long maxBytes;
  private OutputStream out;
  private long size;

  private RotatingLogFile(Path file, long maxBytes, Formatter formatter) throws IOException {
    this.file = file;
    this.previous = file.resolveSibling(file.getFileName() + ".1");
    this.maxBytes = maxBytes;
    setFormatter(formatter);
    open();
  }

  /** Opens (appends to) {@code file}; throws naming the cause when it cannot be written. */
  static RotatingLogFile open(Path file, long maxBytes, Formatter formatter) throws IOException {
    return new RotatingLogFile(file, maxBytes, formatter);
  }

  private void open() throws IOException {
    out =
        Files.newOutputStream(
            file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = Files.size(file);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (out == null || !isLoggable(record)) {
      return;
    }
    byte[] line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
    try {
      if (size > 0 && size + line.length > maxBytes) {
        rotate();
      }
      out.write(line);
      size += line.length;
    } catch (IOException e) {
      reportError("cannot write " + file, e, ErrorManager.WRITE_FAILURE);
    }
  }

  private void rotate() throws IOException {
    out.close();
    Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  @Override
  public synchronized void flush() {
    if (out != null) {
      try {
        out.flush();
      } catch (IOException e) {
        reportError("cannot flush " + file, e, ErrorManager.FLUSH_FAILURE);
      }
    }
  }

  @Override
  public void close() {
    flush();
  }

  /** Closes the file; later records are dropped. */
  synchronized void shut() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        reportError("cannot close " + file, e, ErrorManager.CLOSE_FAILURE);
      }
      out = null;
    }
  }
}
