package io.bamqp.proxy.sharing;

import io.bamqp.proxy.config.ByteSize;
import io.bamqp.proxy.config.DailyWindow;
import java.util.Objects;

/**
 * What the owner agreed to give neighbors. The node maps these from its config ({@code sharing.*});
 * the defaults and the checks on each value live there.
 *
 * @param enabled whether this node fetches for neighbors at all
 * @param maxRateMbps the rate cap over all neighbor jobs
 * @param maxConcurrentJobs neighbor jobs at once
 * @param sharePercent the share of the own line neighbors may use
 * @param offPeak the daily window in which it shares
 * @param monthlyCap bytes per calendar month over all neighbors, or null for no cap
 * @param peerMonthlyCap bytes per calendar month for any one neighbor, or null for no cap
 * @param yieldFloorMbps what neighbor work keeps while own clients are busy
 */
public record SharingOptions(
    boolean enabled,
    double maxRateMbps,
    int maxConcurrentJobs,
    int sharePercent,
    DailyWindow offPeak,
    ByteSize monthlyCap,
    ByteSize peerMonthlyCap,
    double yieldFloorMbps) {

  public SharingOptions {
    Objects.requireNonNull(offPeak, "offPeak");
  }

  /** The sharing rate in Mbit/s against an own line of {@code lineMbps}. */
  public double rateMbps(double lineMbps) {
    return Math.min(maxRateMbps, lineMbps * sharePercent / 100.0);
  }
}
