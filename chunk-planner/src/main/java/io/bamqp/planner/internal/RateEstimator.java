package io.bamqp.planner.internal;

/**
 * A source's rate in bytes per second: the offered rate as a prior, then an exponentially weighted
 * moving average of samples, each taken over at least {@link #SAMPLE_NANOS} of uninterrupted
 * transfer. Idle time (waiting for work, for a first byte) is never part of a sample, so a source
 * held back by the window does not look slow.
 */
final class RateEstimator {

  /** Shortest stretch of transfer one sample covers: 100 ms. */
  static final long SAMPLE_NANOS = 100_000_000L;

  /** Weight of a new sample once the estimate has settled. */
  static final double SMOOTHING = 0.25;

  private static final double NANOS_PER_SECOND = 1e9;

  private double bytesPerSec;
  private int samples = 1; // the prior counts as one sample
  private long sampleStart;
  private long sampleBytes;
  private boolean sampling;

  RateEstimator(long offeredBytesPerSec) {
    this.bytesPerSec = offeredBytesPerSec;
  }

  /** The current estimate, always {@code > 0}. */
  double bytesPerSec() {
    return bytesPerSec;
  }

  /**
   * Records a delivery. {@code continuous} says the source was transferring without a pause since
   * its previous delivery; otherwise these bytes only mark the start of a new sample.
   */
  void record(long bytes, long now, boolean continuous) {
    if (!continuous || !sampling) {
      sampling = true;
      sampleStart = now;
      sampleBytes = 0;
      return;
    }
    sampleBytes += bytes;
    long elapsed = now - sampleStart;
    if (elapsed >= SAMPLE_NANOS) {
      double sample = sampleBytes * NANOS_PER_SECOND / elapsed;
      samples++;
      double weight = Math.max(SMOOTHING, 1.0 / samples);
      bytesPerSec = Math.max(1, bytesPerSec + weight * (sample - bytesPerSec));
      sampleStart = now;
      sampleBytes = 0;
    }
  }

  /** Seconds-to-nanos helper: how long {@code bytes} take at the current estimate. */
  long nanosFor(long bytes) {
    return (long) (bytes * NANOS_PER_SECOND / bytesPerSec);
  }

  /** How many bytes the source moves in {@code nanos} at the current estimate. */
  long bytesIn(long nanos) {
    return (long) (nanos * bytesPerSec / NANOS_PER_SECOND);
  }
}
