package io.bamqp.planner;

import java.util.Map;

/**
 * What a plan has cost so far, for the stats page and the end-of-download log line.
 *
 * @param hedgedBytes bytes assigned twice as hedges (the duplicate copies); at most {@link
 *     PlannerConfig#hedgeCapBytes()}
 * @param replannedBytes bytes taken from a failed, stalled or short assignment and planned again
 * @param deliveredBytesBySource bytes each source delivered on live assignments, duplicates
 *     included, by source id
 */
public record PlannerCounters(
    long hedgedBytes, long replannedBytes, Map<Integer, Long> deliveredBytesBySource) {

  public PlannerCounters {
    deliveredBytesBySource = Map.copyOf(deliveredBytesBySource);
  }

  /** Bytes delivered by {@code sourceId}, 0 for an unknown source. */
  public long deliveredBy(int sourceId) {
    return deliveredBytesBySource.getOrDefault(sourceId, 0L);
  }
}
