package io.bamqp.planner;

/**
 * The limits of one download's plan. Start from {@link #forFile(long)} and change what differs.
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code bufferBytes}</td><td>{@value #DEFAULT_BUFFER_BYTES} (32 MiB)</td>
 *       <td>reorder window: no byte is assigned at or beyond client position + bufferBytes</td></tr>
 *   <tr><td>{@code stallTimeoutNanos}</td><td>1 s</td>
 *       <td>silence, beyond what a source's round trip predicts, after which it loses its work</td></tr>
 *   <tr><td>{@code hedgeCapFraction}</td><td>{@value #DEFAULT_HEDGE_CAP_FRACTION}</td>
 *       <td>share of the file that may be fetched twice as hedges</td></tr>
 * </table>
 *
 * @param totalBytes the file's length (the response's {@code Content-Length}), {@code >= 1}
 * @param bufferBytes the reorder window, {@code >= 1}
 * @param stallTimeoutNanos the stall timeout, {@code >= 1}
 * @param hedgeCapFraction share of the file that hedges may duplicate, in {@code [0, 1]}
 */
public record PlannerConfig(
    long totalBytes, long bufferBytes, long stallTimeoutNanos, double hedgeCapFraction) {

  /** Default reorder window: 32 MiB, the config's {@code aggregation.bufferBytes}. */
  public static final long DEFAULT_BUFFER_BYTES = 32L << 20;

  /** Default stall timeout: one second of unexplained silence. */
  public static final long DEFAULT_STALL_TIMEOUT_NANOS = 1_000_000_000L;

  /** Default cap on hedged bytes: 5% of the file. */
  public static final double DEFAULT_HEDGE_CAP_FRACTION = 0.05;

  public PlannerConfig {
    if (totalBytes < 1 || bufferBytes < 1 || stallTimeoutNanos < 1) {
      throw new IllegalArgumentException(
          "totalBytes, bufferBytes and stallTimeoutNanos must be positive: " + this);
    }
    if (!(hedgeCapFraction >= 0 && hedgeCapFraction <= 1)) {
      throw new IllegalArgumentException("hedgeCapFraction must be in [0, 1]: " + hedgeCapFraction);
    }
  }

  /** The defaults for a file of {@code totalBytes}. */
  public static PlannerConfig forFile(long totalBytes) {
    return new PlannerConfig(
        totalBytes, DEFAULT_BUFFER_BYTES, DEFAULT_STALL_TIMEOUT_NANOS, DEFAULT_HEDGE_CAP_FRACTION);
  }

  public PlannerConfig withBufferBytes(long bytes) {
    return new PlannerConfig(totalBytes, bytes, stallTimeoutNanos, hedgeCapFraction);
  }

  public PlannerConfig withStallTimeoutNanos(long nanos) {
    return new PlannerConfig(totalBytes, bufferBytes, nanos, hedgeCapFraction);
  }

  public PlannerConfig withHedgeCapFraction(double fraction) {
    return new PlannerConfig(totalBytes, bufferBytes, stallTimeoutNanos, fraction);
  }

  /** The most bytes hedges may duplicate over the whole download. */
  public long hedgeCapBytes() {
    return (long) (totalBytes * hedgeCapFraction);
  }
}
