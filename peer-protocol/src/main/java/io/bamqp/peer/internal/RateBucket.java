package io.bamqp.peer.internal;

/**
 * The token bucket on what a helper reads from origins for others, shared by all its jobs. Each
 * chunk read takes its size in tokens, possibly into debt; the reader then waits until the debt is
 * paid. Tokens accrue at the cap and up to {@link #burstBytes()}, a quarter of a second of the cap,
 * so over any span {@code t} the helper reads at most {@code burst + rate * t} plus one chunk.
 *
 * <p>The burst is what lets a helper catch up. The line keeps delivering while its reader is held
 * up (a collection, the home's link pausing it): the bytes wait in the socket. With a burst of one
 * chunk they could only be read at the cap, and a cap of the whole line (the default 100% share) is
 * barely above what the line delivers, so the backlog drained for seconds while TCP's window closed
 * and the line idled: helpers ran at 95% of their line on the kernel test bed. A quarter of a
 * second drains it at once and still holds the cap over any longer span.
 *
 * <p>Time is passed in, never read. Confined to the helper's event loop.
 */
final class RateBucket {
  /** The smallest burst (64 KiB): one origin chunk goes at once after a pause, at any cap. */
  static final long MIN_BURST_BYTES = 64 * 1024;

  /** How much of the cap's time an idle bucket saves up: a quarter of a second. */
  static final double BURST_SECONDS = 0.25;

  private static final double NANOS_PER_SECOND = 1e9;

  private long bytesPerSecond;
  private double tokens;
  private long lastNanos = Long.MIN_VALUE;

  RateBucket(long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = burstBytes();
  }

  /** Changes the cap at once; tokens already earned are kept (up to the new burst). */
  void setRate(long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    tokens = Math.min(tokens, burstBytes());
  }

  /** Tokens an idle bucket saves up: a quarter of a second at the cap, at least one chunk. */
  long burstBytes() {
    return Math.max(MIN_BURST_BYTES, (long) (bytesPerSecond * BURST_SECONDS));
  }

  /** The cap, in bytes per second. */
  long bytesPerSecond() {
    return bytesPerSecond;
  }

  /**
   * Takes {@code bytes} just read and answers how many nanoseconds the reader must pause before
   * reading more; 0 when the bucket is not in debt.
   */
  long take(long bytes, long nowNanos) {
    if (lastNanos != Long.MIN_VALUE) {
      double earned = (nowNanos - lastNanos) * bytesPerSecond / NANOS_PER_SECOND;
      tokens = Math.min(burstBytes(), tokens + earned);
    }
    lastNanos = nowNanos;
    tokens -= bytes;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
  }
}
