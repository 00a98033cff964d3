package io.bamqp.testbed.internal;

import io.bamqp.testbed.Line;
import java.util.function.Supplier;

/**
 * The token bucket of one line, as a virtual transmission clock: each chunk reserves the line for
 * {@code size / rate} seconds after the previous reservation ends, and the caller waits until its
 * reservation begins. Because the clock is absolute, timer granularity never accumulates into a
 * rate error, and connections sharing the line are served first come, first served.
 *
 * <p>An idle line earns no credit beyond the present: after a pause the next chunk goes at once and
 * the rate resumes from there (a burst of at most one chunk). Confined to the origin's event loop.
 */
final class LineBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final Supplier<Line> line;
  private long freeAtNanos = Long.MIN_VALUE;

  LineBucket(Supplier<Line> line) {
    this.line = line;
  }

  /** The line's current rate in bytes per second, 0 when unlimited. */
  long rate() {
    return line.get().bytesPerSecond();
  }

  /**
   * Reserves the line for {@code bytes} and answers how many nanoseconds to wait before sending
   * them; 0 when the line is unlimited or free now.
   */
  long reserve(int bytes, long nowNanos) {
    long rate = rate();
    if (rate <= 0) {
      freeAtNanos = Long.MIN_VALUE;
      return 0;
    }
    long start = freeAtNanos == Long.MIN_VALUE ? nowNanos : Math.max(freeAtNanos, nowNanos);
    freeAtNanos = start + Math.max(1, bytes * NANOS_PER_SECOND / rate);
    return start - nowNanos;
  }
}
