package io.bamqp.proxy.aggregation;

import java.util.List;

/**
 * What one large download looks like at an instant: immutable, so any thread may read it. The
 * session's {@link LiveDownload} builds a new one on its own event loop and publishes it through a
 * volatile field; the statistics page reads the latest.
 *
 * @param id unique per download, also the job ID offered to neighbors
 * @param url host and shortened path, never the query string
 * @param service the download CDN service its host belongs to ({@code cdn.services}), or null
 * @param startedAtMillis wall-clock start, epoch milliseconds
 * @param elapsedMillis time since the origin's response head (to the end, once ended)
 * @param size bytes the client gets
 * @param written bytes the client has been written so far
 * @param bytesPerSecond the client's current rate (about the last second)
 * @param averageBytesPerSecond written bytes over the elapsed time
 * @param etaMillis time left at the current rate; -1 when unknown or ended
 * @param lineBytesPerSecond the own line's configured rate ({@code wan.lineRateMbps})
 * @param speedUp the average rate over the own line's rate
 * @param efficiency the average rate over the sum of the rates the sources offered; 0 when none
 * @param bufferedBytes bytes held for reordering right now
 * @param maxBufferedBytes the most bytes held at once
 * @param hedgedBytes bytes fetched twice on purpose, all sources
 * @param refetchedBytes bytes fetched again after a source failed or stalled, all sources
 * @param outcome where the download stands
 * @param reason why it failed or was not aggregated; null otherwise
 * @param notes what else the owner should know ("all helpers declined: …")
 * @param sampleMillis the interval of each source's {@link SourceSnapshot#samples()}
 * @param sources every source that joined, by name ({@code home}, {@code peer:ID})
 */
public record DownloadSnapshot(
    String id,
    String url,
    String service,
    long startedAtMillis,
    long elapsedMillis,
    long size,
    long written,
    long bytesPerSecond,
    long averageBytesPerSecond,
    long etaMillis,
    long lineBytesPerSecond,
    double speedUp,
    double efficiency,
    long bufferedBytes,
    long maxBufferedBytes,
    long hedgedBytes,
    long refetchedBytes,
    Outcome outcome,
    String reason,
    List<String> notes,
    long sampleMillis,
    List<SourceSnapshot> sources) {

  public DownloadSnapshot {
    notes = notes == null ? List.of() : List.copyOf(notes);
    sources = sources == null ? List.of() : List.copyOf(sources);
  }

  /** Where a download stands. */
  public enum Outcome {
    /** Bytes are still flowing. */
    ACTIVE,
    /** The client got every byte. */
    COMPLETED,
    /** Abandoned: the client went away, the object changed, every source failed, … */
    FAILED,
    /** A large response that streamed through untouched; {@link #reason()} says why. */
    NOT_AGGREGATED
  }

  /** Whether the download is over (its snapshot will not change again). */
  public boolean ended() {
    return outcome != Outcome.ACTIVE;
  }

  /**
   * A large response that streamed through the home line alone, for the history.
   *
   * @param complete whether it reached its end (else the client or origin broke off)
   */
  public static DownloadSnapshot notAggregated(
      String id,
      String url,
      String service,
      long startedAtMillis,
      long elapsedMillis,
      long size,
      long written,
      long lineBytesPerSecond,
      String reason,
      boolean complete) {
    long average = written * 1000 / Math.max(1, elapsedMillis);
    SourceSnapshot home =
        new SourceSnapshot(
            "home",
            "ended",
            written,
            written,
            0,
            lineBytesPerSecond,
            average,
            0,
            0,
            0,
            0,
            0,
            List.of());
    return new DownloadSnapshot(
        id,
        url,
        service,
        startedAtMillis,
        elapsedMillis,
        size,
        written,
        0,
        average,
        -1,
        lineBytesPerSecond,
        (double) average / Math.max(1, lineBytesPerSecond),
        (double) average / Math.max(1, lineBytesPerSecond),
        0,
        0,
        0,
        0,
        Outcome.NOT_AGGREGATED,
        complete ? reason : reason + "; the transfer broke off",
        List.of(),
        0,
        List.of(home));
  }
}
