package io.bamqp.peer.internal;

/**
 * The token bucket on what a helper reads from origins for others, shared by all its jobs. Each
 * chunk read takes its size in tokens, possibly into debt; the reader then waits until the debt is
 * paid. Tokens accrue at the cap and up to {@link #BURST_BYTES}, so over any span {@code t} the
 * helper reads at most {@code BURST_BYTES + rate * t} plus one chunk.
 *
 * <p>Time is passed in, never read. Confined to the helper's event loop.
 */
final class RateBucket {
  /** Tokens an idle bucket saves up (64 KiB): one origin chunk goes at once after a pause. */
  static final long BURST_BYTES = 64 * 1024;

  private static final double NANOS_PER_SECOND = 1e9;

  private long bytesPerSecond;
  private double tokens = BURST_BYTES;
  private long lastNanos = Long.MIN_VALUE;

  RateBucket(long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Changes the cap at once; tokens already earned are kept (up to the burst). */
  void setRate(long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
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
      tokens = Math.min(BURST_BYTES, tokens + earned);
    }
    lastNanos = nowNanos;
    tokens -= bytes;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / bytesPerSecond);
  }
}
