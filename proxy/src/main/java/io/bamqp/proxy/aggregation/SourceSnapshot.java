package io.bamqp.proxy.aggregation;

import java.util.List;

/**
 * What one source did for one download, at an instant. A source that rejoined (the home line after
 * every source was lost, a neighbor that stalled) is one entry: counts add up across its joins.
 *
 * @param name {@code home} or {@code peer:ID}
 * @param state {@code active}, {@code retired} (stalled or failed, gets no more work), {@code
 *     quarantined} (a spot check caught it altering bytes) or {@code ended}
 * @param bytes bytes it delivered, duplicates included (as in {@link
 *     SessionReport#bytesBySource()})
 * @param keptBytes bytes of it the client got: over every source these add up to the size
 * @param bytesPerSecond its current rate (about the last second)
 * @param offeredBytesPerSecond the rate it offered when it joined (the own line's for home)
 * @param achievedBytesPerSecond bytes over the time from its join to its last byte
 * @param rttMillis the round trip it joined with
 * @param stalls assignments taken from it for silence
 * @param failures ranges it failed
 * @param hedgedBytes bytes it delivered on hedges (duplicates of a slower source's range)
 * @param refetchedBytes bytes it delivered on ranges planned again after another source lost them
 * @param samples its rate, bytes per second, per {@link DownloadSnapshot#sampleMillis()}, oldest
 *     first
 */
public record SourceSnapshot(
    String name,
    String state,
    long bytes,
    long keptBytes,
    long bytesPerSecond,
    long offeredBytesPerSecond,
    long achievedBytesPerSecond,
    long rttMillis,
    int stalls,
    int failures,
    long hedgedBytes,
    long refetchedBytes,
    List<Long> samples) {

  public SourceSnapshot {
    samples = samples == null ? List.of() : List.copyOf(samples);
  }
}
