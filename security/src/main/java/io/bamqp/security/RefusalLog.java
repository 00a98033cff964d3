package io.bamqp.security;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the details of a refused destination go: this node's own log, never the neighbor or client
 * that asked (they get a code and a fixed message). A line at most every {@link #MIN_GAP}, with the
 * count of the refusals left out since, because whoever asks can repeat the question at will.
 * Thread-safe.
 */
public final class RefusalLog {
  /** The least time between two lines: 1 s. */
  public static final Duration MIN_GAP = Duration.ofSeconds(1);

  private final System.Logger log;
  private final AtomicLong nextAllowedNanos = new AtomicLong(System.nanoTime());
  private final AtomicLong suppressed = new AtomicLong();

  /** A log writing to the logger {@code loggerName}. */
  public RefusalLog(String loggerName) {
    this.log = System.getLogger(loggerName);
  }

  /** Logs {@code detail} (at INFO) unless a line went out less than {@link #MIN_GAP} ago. */
  public void refused(String detail) {
    long now = System.nanoTime();
    long next = nextAllowedNanos.get();
    if (now - next < 0 || !nextAllowedNanos.compareAndSet(next, now + MIN_GAP.toNanos())) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    log.log(
        Level.INFO,
        "refused: {0}{1}",
        detail,
        skipped == 0 ? "" : " (+" + skipped + " more refusals not logged)");
  }
}
