package io.bamqp.proxy.aggregation;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * How many log lines of one kind a key (a neighbor, the download log) may write per window: what a
 * flapping neighbor or a busy client can make the node write to its journal or flash is bounded.
 * Lines over the limit are counted, and the next line allowed says how many were left out.
 *
 * <p>Thread-safe (one lock, taken once per would-be line).
 */
public final class LogRateLimit {
  private final int linesPerWindow;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Window> windows = new HashMap<>();

  /** At most {@code linesPerWindow} lines per key in each {@code window}. */
  public LogRateLimit(int linesPerWindow, Duration window) {
    this(linesPerWindow, window, System::nanoTime);
  }

  LogRateLimit(int linesPerWindow, Duration window, LongSupplier nanoClock) {
    this.linesPerWindow = linesPerWindow;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Whether a line for {@code key} may be written now; -1 if not, else how many lines for it were
   * left out since the last one written (0 usually), to be said in the line.
   */
  public synchronized long allow(String key) {
    long now = nanoClock.getAsLong();
    Window window = windows.computeIfAbsent(key, k -> new Window(now));
    if (now - window.start >= windowNanos) {
      window.start = now;
      window.written = 0;
    }
    if (window.written >= linesPerWindow) {
      window.suppressed++;
      return -1;
    }
    window.written++;
    long suppressed = window.suppressed;
    window.suppressed = 0;
    return suppressed;
  }

  /** {@code " (N similar lines left out)"} for a count from {@link #allow}, else empty. */
  public static String leftOut(long suppressed) {
    return suppressed > 0 ? " (" + suppressed + " similar line(s) left out before)" : "";
  }

  private static final class Window {
    long start;
    int written;
    long suppressed;

    Window(long start) {
      this.start = start;
    }
  }
}
