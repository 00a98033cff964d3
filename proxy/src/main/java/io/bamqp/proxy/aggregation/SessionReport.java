package io.bamqp.proxy.aggregation;

import java.util.Map;

/**
 * What an aggregated download did: how many bytes, how long, and what each source carried.
 *
 * @param bytes bytes the client got
 * @param nanos time from the origin's response head to the last byte written
 * @param bytesBySource bytes each source delivered ({@code home}, {@code peer:ID}), hedges included
 * @param hedgedBytes bytes fetched twice on purpose
 * @param replannedBytes bytes fetched again after a source failed or stalled
 * @param maxBufferedBytes the most bytes held for reordering at once
 */
public record SessionReport(
    long bytes,
    long nanos,
    Map<String, Long> bytesBySource,
    long hedgedBytes,
    long replannedBytes,
    long maxBufferedBytes) {

  /** Delivered bits per second. */
  public double bitsPerSecond() {
    return bytes * 8e9 / Math.max(1, nanos);
  }
}
