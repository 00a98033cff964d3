package io.bamqp.proxy.stats;

/**
 * What this node gives to neighbors: the switch, the caps ({@code sharing.*}) and the usage against
 * them. A cap or a usage figure that does not exist is null.
 *
 * @param enabled whether it fetches for neighbors at all
 * @param maxRateMbps the rate cap over all neighbor jobs
 * @param sharePercent the share of the own line neighbors may use
 * @param offPeak the daily window in which it shares ({@code 00:00-00:00} is always)
 * @param monthlyCapBytes bytes per calendar month over all neighbors, or null
 * @param peerMonthlyCapBytes bytes per calendar month for any one neighbor, or null
 * @param maxConcurrentJobs neighbor jobs at once
 * @param usedTodayBytes bytes fetched for neighbors today, or null when not measured
 * @param usedThisMonthBytes bytes fetched for neighbors this month, or null when not measured
 * @param note what the owner should know about these figures, or null
 */
public record SharingView(
    boolean enabled,
    double maxRateMbps,
    int sharePercent,
    String offPeak,
    Long monthlyCapBytes,
    Long peerMonthlyCapBytes,
    int maxConcurrentJobs,
    Long usedTodayBytes,
    Long usedThisMonthBytes,
    String note) {}
