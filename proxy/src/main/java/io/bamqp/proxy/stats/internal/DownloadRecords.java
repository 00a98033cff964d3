package io.bamqp.proxy.stats.internal;

import io.bamqp.proxy.aggregation.DownloadSnapshot;
import io.bamqp.proxy.aggregation.SourceSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The statistics server's memory of downloads: the bounded history (newest last), and the counters
 * since this process started that {@code /metrics} and {@code /api/stats} report. Confined to the
 * statistics server's event loop.
 */
final class DownloadRecords {
  /** Upper bounds (seconds) of {@code bamqp_download_duration_seconds}'s buckets. */
  static final double[] DURATION_BUCKETS = {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600};

  /** Ended downloads remembered to keep them out of the live list (it may lag behind). */
  private static final int RECENTLY_ENDED = 256;

  private final int limit;
  private final ArrayDeque<DownloadSnapshot> history = new ArrayDeque<>();
  private final Set<String> recentlyEnded = new LinkedHashSet<>();
  private final Map<String, Long> bytesBySource = new TreeMap<>();
  private final Map<String, Long> outcomes = new TreeMap<>();
  private final long[] durationBuckets = new long[DURATION_BUCKETS.length];
  private double durationSum;
  private long durationCount;
  private long version;

  DownloadRecords(int limit) {
    this.limit = limit;
    for (DownloadSnapshot.Outcome outcome : DownloadSnapshot.Outcome.values()) {
      if (outcome != DownloadSnapshot.Outcome.ACTIVE) {
        outcomes.put(outcome.name().toLowerCase(java.util.Locale.ROOT), 0L);
      }
    }
  }

  /** Downloads loaded from the history file: remembered, not counted (they ended before start). */
  void restore(List<DownloadSnapshot> loaded) {
    loaded.forEach(this::remember);
    version++;
  }

  /** A download ended in this process: remembered and counted. */
  void ended(DownloadSnapshot download) {
    remember(download);
    recentlyEnded.add(download.id());
    if (recentlyEnded.size() > RECENTLY_ENDED) {
      Iterator<String> oldest = recentlyEnded.iterator();
      oldest.next();
      oldest.remove();
    }
    for (SourceSnapshot source : download.sources()) {
      bytesBySource.merge(source.name(), source.bytes(), Long::sum);
    }
    outcomes.merge(download.outcome().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
    if (download.outcome() != DownloadSnapshot.Outcome.FAILED) {
      double seconds = download.elapsedMillis() / 1000.0;
      for (int i = 0; i < DURATION_BUCKETS.length; i++) {
        if (seconds <= DURATION_BUCKETS[i]) {
          durationBuckets[i]++;
        }
      }
      durationSum += seconds;
      durationCount++;
    }
    version++;
  }

  private void remember(DownloadSnapshot download) {
    history.addLast(download);
    while (history.size() > limit) {
      history.removeFirst();
    }
  }

  /** The live downloads minus those whose end this has already counted. */
  List<DownloadSnapshot> stillLive(List<DownloadSnapshot> live) {
    return live.stream().filter(d -> !recentlyEnded.contains(d.id())).toList();
  }

  /** Newest first. */
  List<DownloadSnapshot> history() {
    List<DownloadSnapshot> newestFirst = new ArrayList<>(history);
    java.util.Collections.reverse(newestFirst);
    return newestFirst;
  }

  Optional<DownloadSnapshot> find(String id) {
    return history.stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /** Bumped whenever the history changes: the page reloads it then. */
  long version() {
    return version;
  }

  /**
   * Bytes each source delivered since start: ended downloads plus the live ones' latest figures.
   */
  Map<String, Long> bytesBySource(List<DownloadSnapshot> live) {
    Map<String, Long> total = new TreeMap<>(bytesBySource);
    for (DownloadSnapshot download : stillLive(live)) {
      download.sources().forEach(s -> total.merge(s.name(), s.bytes(), Long::sum));
    }
    return total;
  }

  /** Ended downloads since start, by outcome ({@code completed}, {@code failed}, …). */
  Map<String, Long> outcomes() {
    return java.util.Collections.unmodifiableMap(new TreeMap<>(outcomes));
  }

  /** Cumulative counts per bucket of {@link #DURATION_BUCKETS}. */
  long[] durationBuckets() {
    return durationBuckets.clone();
  }

  double durationSum() {
    return durationSum;
  }

  long durationCount() {
    return durationCount;
  }
}
