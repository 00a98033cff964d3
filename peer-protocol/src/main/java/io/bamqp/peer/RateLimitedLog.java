package io.bamqp.peer;

import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A log line that a stranger can trigger at will, rate-limited with an {@link EventThrottle}: the
 * first {@link #DEFAULT_BURST} in a window (a minute by default) are logged; when that window
 * closes, one summary line counts the rest, "12 more refused handshakes in the last minute".
 *
 * <pre>{@code
 * RateLimitedLog refusals = new RateLimitedLog(vertx, LOG, Level.INFO, "refused handshakes");
 * refusals.log("refused peer " + id + ": not in peer.trusted");
 * }</pre>
 *
 * <p>Thread-safe; the summary is written from a Vert.x timer.
 */
public final class RateLimitedLog {
  /** Lines logged per window before the rest are only counted. */
  public static final int DEFAULT_BURST = 5;

  /** The window: a minute. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  private static final String KEY = "";

  private final Vertx vertx;
  private final Logger logger;
  private final Level level;
  private final String what;
  private final Duration window;
  private final EventThrottle throttle;
  private final AtomicBoolean summaryDue = new AtomicBoolean();

  /** Logs at most {@link #DEFAULT_BURST} lines a minute; {@code what} names the rest. */
  public RateLimitedLog(Vertx vertx, Logger logger, Level level, String what) {
    this(vertx, logger, level, what, DEFAULT_BURST, DEFAULT_WINDOW);
  }

  /**
   * Logs at most {@code burst} lines per {@code window}.
   *
   * @param what what the summary counts, plural: "refused handshakes"
   */
  public RateLimitedLog(
      Vertx vertx, Logger logger, Level level, String what, int burst, Duration window) {
    this.vertx = vertx;
    this.logger = logger;
    this.level = level;
    this.what = what;
    this.window = window;
    this.throttle = new EventThrottle(burst, window, System::currentTimeMillis);
  }

  /** Logs {@code message} (already formatted) unless this window's lines are used up. */
  public void log(String message) {
    if (!logger.isLoggable(level)) {
      return;
    }
    long held = throttle.admit(KEY);
    if (held < 0) {
      if (summaryDue.compareAndSet(false, true)) {
        summarizeIn(throttle.millisLeft(KEY));
      }
      return;
    }
    if (held > 0) {
      // The summary's timer has not run yet; this line is a window later, say it first.
      summary(held);
    }
    logger.log(level, message);
  }

  private void summarizeIn(long millis) {
    try {
      vertx.setTimer(
          Math.max(1, millis),
          fired -> {
            summaryDue.set(false);
            summary(throttle.drain(KEY));
          });
    } catch (RuntimeException closing) {
      // Vert.x is closing: nobody is left to read the summary.
      summaryDue.set(false);
    }
  }

  private void summary(long held) {
    if (held > 0) {
      logger.log(level, held + " more " + what + " in the last " + windowText());
    }
  }

  private String windowText() {
    if (window.equals(Duration.ofMinutes(1))) {
      return "minute";
    }
    return window.toMillis() % 1000 == 0 ? window.toSeconds() + " s" : window.toMillis() + " ms";
  }
}
