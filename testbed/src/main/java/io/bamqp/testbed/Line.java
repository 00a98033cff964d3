package io.bamqp.testbed;

import java.time.Duration;
import java.util.Objects;

/**
 * An emulated Internet line: the downlink rate and the added latency that the origin applies to
 * every connection coming from one source address.
 *
 * <p>The rate is a token bucket shared by all connections from that address, so two parallel
 * downloads over the same line each get about half of it. The latency delays each response head
 * (time to first byte); it is per request, not shared.
 *
 * @param bytesPerSecond downlink rate in bytes per second; 0 means unlimited
 * @param latency delay added before each response head; {@link Duration#ZERO} for none
 */
public record Line(long bytesPerSecond, Duration latency) {

  /** No rate limit and no added latency: what an address without a configured line gets. */
  public static final Line UNSHAPED = new Line(0, Duration.ZERO);

  public Line {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytesPerSecond < 0: " + bytesPerSecond);
    }
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("negative latency: " + latency);
    }
  }

  /** A line of {@code bytesPerSecond} bytes per second without added latency. */
  public static Line ofRate(long bytesPerSecond) {
    return new Line(bytesPerSecond, Duration.ZERO);
  }

  /**
   * A line of {@code megabits} Mbit/s (10^6 bits), the unit of the config's {@code lineRateMbps}.
   */
  public static Line ofMbps(double megabits) {
    if (!(megabits >= 0)) {
      throw new IllegalArgumentException("megabits: " + megabits);
    }
    return ofRate(Math.round(megabits * 1_000_000 / 8));
  }

  /** This line with {@code latency} added before each response head. */
  public Line withLatency(Duration latency) {
    return new Line(bytesPerSecond, latency);
  }

  /** Whether the rate is limited. */
  public boolean isRateLimited() {
    return bytesPerSecond > 0;
  }
}
