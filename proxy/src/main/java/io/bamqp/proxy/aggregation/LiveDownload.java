package io.bamqp.proxy.aggregation;

import io.bamqp.planner.Action;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statistics of one aggregated download as it runs: the session reports bytes, joins, stalls,
 * failures, hedges and re-plans here, and every {@link #PUBLISH_MILLIS} a fresh immutable {@link
 * DownloadSnapshot} is published.
 *
 * <p>Thread-safe handoff: every method except {@link #snapshot()} runs on the session's event loop
 * (no locks); the snapshot is built there too and handed to other threads through a volatile field.
 */
final class LiveDownload {
  /** How often a new snapshot is published while bytes flow. */
  static final long PUBLISH_MILLIS = 250;

  /** The first sampling interval of the throughput chart; it doubles whenever the chart is full. */
  static final long FIRST_SAMPLE_MILLIS = 250;

  /** Points kept per source for the chart: a long download keeps its whole curve, coarser. */
  static final int MAX_SAMPLES = 120;

  /** The window of the "current rate": about the last second. */
  static final long CURRENT_RATE_MILLIS = 1000;

  private final String id;
  private final long size;
  private final long lineBytesPerSecond;
  private final long startedAtMillis = System.currentTimeMillis();
  private final long startedNanos;
  private final Map<Integer, Tally> byId = new HashMap<>();
  private final Map<String, Tally> byName = new LinkedHashMap<>();
  private final Set<Long> hedges = new HashSet<>();
  private final Set<Long> refetches = new HashSet<>();
  private final Map<String, String> declined = new LinkedHashMap<>();
  private final List<Long> clientSamples = new ArrayList<>();
  private String url = "";
  private String service;
  private int offered;
  private String verifiedBy;
  private long sampleMillis = FIRST_SAMPLE_MILLIS;
  private long lastSampleNanos;
  private long clientAtLastSample;
  private long lastPublishNanos;
  private long kept;
  private long written;
  private long maxBuffered;
  private volatile DownloadSnapshot latest;

  /** What one named source did, across its joins. */
  private static final class Tally {
    final String name;
    final List<Long> samples = new ArrayList<>();
    String state = "active";
    long bytes;
    long keptBytes;
    long hedged;
    long refetched;
    long offeredBytesPerSecond;
    long rttNanos;
    long joinedNanos;
    long lastByteNanos;
    long bytesAtLastSample;
    int stalls;
    int failures;

    Tally(String name) {
      this.name = name;
    }
  }

  LiveDownload(String id, long size, long lineBytesPerSecond, long startedNanos) {
    this.id = id;
    this.size = size;
    this.lineBytesPerSecond = lineBytesPerSecond;
    this.startedNanos = startedNanos;
    this.lastSampleNanos = startedNanos;
    publish(startedNanos, DownloadSnapshot.Outcome.ACTIVE, null);
  }

  /**
   * Names the download (host and shortened path, and its CDN service or null) and counts the
   * neighbors it was offered to.
   */
  LiveDownload describe(String url, String service, int neighborsOffered) {
    this.url = url;
    this.service = service;
    this.offered = neighborsOffered;
    publish(startedNanos, DownloadSnapshot.Outcome.ACTIVE, null);
    return this;
  }

  String id() {
    return id;
  }

  void joined(int sourceId, String name, long bytesPerSecond, long rttNanos, long now) {
    Tally tally = byName.computeIfAbsent(name, Tally::new);
    byId.put(sourceId, tally);
    tally.state = "active";
    tally.offeredBytesPerSecond = bytesPerSecond;
    tally.rttNanos = rttNanos;
    if (tally.joinedNanos == 0) {
      tally.joinedNanos = now;
    }
  }

  /** A source's state once a spot check caught it. */
  static final String QUARANTINED = "quarantined";

  void declined(String name, String why) {
    declined.put(name, why);
  }

  void assigned(long assignmentId, Action.Assign.Purpose purpose) {
    if (purpose == Action.Assign.Purpose.HEDGE) {
      hedges.add(assignmentId);
    } else if (purpose == Action.Assign.Purpose.REPLAN) {
      refetches.add(assignmentId);
    }
  }

  /**
   * {@code bytes} of assignment {@code assignmentId} arrived; {@code keptBytes} of them were new.
   */
  void delivered(int sourceId, long assignmentId, long bytes, long keptBytes, long now) {
    Tally tally = byId.get(sourceId);
    if (tally == null) {
      return;
    }
    tally.bytes += bytes;
    tally.keptBytes += keptBytes;
    tally.lastByteNanos = now;
    kept += keptBytes;
    if (hedges.contains(assignmentId)) {
      tally.hedged += bytes;
    } else if (refetches.contains(assignmentId)) {
      tally.refetched += bytes;
    }
  }

  void stalled(int sourceId) {
    Tally tally = byId.get(sourceId);
    if (tally != null) {
      tally.stalls++;
    }
  }

  void failed(int sourceId) {
    Tally tally = byId.get(sourceId);
    if (tally != null) {
      tally.failures++;
    }
  }

  void retired(int sourceId) {
    Tally tally = byId.get(sourceId);
    if (tally != null && !tally.state.equals(QUARANTINED)) {
      tally.state = "retired";
    }
  }

  /** The page's note for a download whose bytes piece hashes check: no spot checks needed. */
  static final String METALINK_PIECES = "verified by Metalink piece hashes";

  /** What checks this download's bytes besides the signatures, for the page's notes. */
  void verifiedBy(String note) {
    this.verifiedBy = note;
  }

  /** A spot check or a piece hash caught the source sending altered bytes; it is quarantined. */
  void caught(int sourceId) {
    Tally tally = byId.get(sourceId);
    if (tally != null) {
      tally.state = QUARANTINED;
    }
  }

  /** Time passed with the client written up to {@code written}: sample, and publish when due. */
  void tick(long now, long written) {
    this.written = written;
    maxBuffered = Math.max(maxBuffered, kept - written);
    if (now - lastSampleNanos >= sampleMillis * 1_000_000) {
      sample(now);
    }
    if (now - lastPublishNanos >= PUBLISH_MILLIS * 1_000_000) {
      publish(now, DownloadSnapshot.Outcome.ACTIVE, null);
    }
  }

  /**
   * The download is over: publishes and answers the final snapshot. Later calls answer it again.
   *
   * @param failure why it was abandoned, or null when the client got every byte
   */
  DownloadSnapshot ended(long now, long written, String failure) {
    DownloadSnapshot last = latest;
    if (last.ended()) {
      return last;
    }
    this.written = written;
    sample(now);
    byName.values().stream()
        .filter(tally -> !tally.state.equals(QUARANTINED))
        .forEach(tally -> tally.state = "ended");
    return publish(
        now,
        failure == null ? DownloadSnapshot.Outcome.COMPLETED : DownloadSnapshot.Outcome.FAILED,
        failure);
  }

  /** The latest published snapshot; any thread. */
  DownloadSnapshot snapshot() {
    return latest;
  }

  private void sample(long now) {
    double seconds = Math.max(1, now - lastSampleNanos) / 1e9;
    for (Tally tally : byName.values()) {
      tally.samples.add(Math.round((tally.bytes - tally.bytesAtLastSample) / seconds));
      tally.bytesAtLastSample = tally.bytes;
    }
    clientSamples.add(Math.round((written - clientAtLastSample) / seconds));
    clientAtLastSample = written;
    lastSampleNanos = now;
    if (clientSamples.size() >= MAX_SAMPLES) {
      halve(clientSamples);
      byName.values().forEach(tally -> halve(tally.samples));
      sampleMillis *= 2;
    }
  }

  /** Merges neighbouring points: the chart keeps its whole span at half the resolution. */
  private static void halve(List<Long> samples) {
    List<Long> merged = new ArrayList<>();
    for (int i = 0; i < samples.size(); i += 2) {
      merged.add(
          i + 1 < samples.size() ? (samples.get(i) + samples.get(i + 1)) / 2 : samples.get(i));
    }
    samples.clear();
    samples.addAll(merged);
  }

  private long recentRate(List<Long> samples) {
    int points = (int) Math.max(1, CURRENT_RATE_MILLIS / sampleMillis);
    if (samples.isEmpty()) {
      return 0;
    }
    List<Long> last = samples.subList(Math.max(0, samples.size() - points), samples.size());
    return last.stream().mapToLong(Long::longValue).sum() / last.size();
  }

  private DownloadSnapshot publish(long now, DownloadSnapshot.Outcome outcome, String reason) {
    lastPublishNanos = now;
    long elapsedNanos = Math.max(1, now - startedNanos);
    long average = (long) (written * 1e9 / elapsedNanos);
    boolean active = outcome == DownloadSnapshot.Outcome.ACTIVE;
    long current = active ? recentRate(clientSamples) : 0;
    long offeredSum = 0;
    long hedged = 0;
    long refetched = 0;
    List<SourceSnapshot> sources = new ArrayList<>();
    for (Tally tally : byName.values()) {
      offeredSum += tally.offeredBytesPerSecond;
      hedged += tally.hedged;
      refetched += tally.refetched;
      long busyNanos = Math.max(1, tally.lastByteNanos - tally.joinedNanos);
      sources.add(
          new SourceSnapshot(
              tally.name,
              tally.state,
              tally.bytes,
              tally.keptBytes,
              active ? recentRate(tally.samples) : 0,
              tally.offeredBytesPerSecond,
              tally.lastByteNanos == 0 ? 0 : (long) (tally.bytes * 1e9 / busyNanos),
              tally.rttNanos / 1_000_000,
              tally.stalls,
              tally.failures,
              tally.hedged,
              tally.refetched,
              tally.samples));
    }
    DownloadSnapshot snapshot =
        new DownloadSnapshot(
            id,
            url,
            service,
            startedAtMillis,
            elapsedNanos / 1_000_000,
            size,
            written,
            current,
            average,
            active && current > 0 ? (size - written) * 1000 / current : -1,
            lineBytesPerSecond,
            (double) average / Math.max(1, lineBytesPerSecond),
            offeredSum == 0 ? 0 : (double) average / offeredSum,
            active ? Math.max(0, kept - written) : 0,
            maxBuffered,
            hedged,
            refetched,
            outcome,
            reason,
            notes(),
            sampleMillis,
            sources);
    latest = snapshot;
    return snapshot;
  }

  private List<String> notes() {
    List<String> notes = new ArrayList<>();
    if (verifiedBy != null) {
      notes.add(verifiedBy);
    }
    if (offered == 0 || declined.size() < offered) {
      return notes;
    }
    List<String> reasons = new ArrayList<>();
    declined.forEach((name, why) -> reasons.add(name + ": " + why));
    notes.add("all helpers declined (" + String.join("; ", reasons) + ")");
    return notes;
  }
}
