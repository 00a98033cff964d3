package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Future;

/**
 * One source's part in one download, from its join: where its bytes come from, the neighbor behind
 * it (none for the home line) and the job it holds there, its {@link FetchQueue}, whether it still
 * gets work, and its figures in the {@link LiveDownload}. The home line gets a new run, with a new
 * source ID, each time it rejoins.
 *
 * <p>Confined to the session's event loop.
 */
final class SourceRun {
  private static final System.Logger LOG = System.getLogger("io.bamqp.session");

  private final int id;
  private final String name;
  private final ByteSource source;
  private final Neighbor neighbor;
  private final OwnLine line;
  private final Runnable releaseJob;
  private final LiveDownload stats;
  private final FetchQueue queue;
  private boolean live = true;
  private boolean released;

  private SourceRun(
      int id,
      String name,
      ByteSource source,
      Neighbor neighbor,
      OwnLine line,
      Runnable releaseJob,
      LiveDownload stats,
      int fetchesAtOnce) {
    this.id = id;
    this.name = name;
    this.source = source;
    this.neighbor = neighbor;
    this.line = line;
    this.releaseJob = releaseJob;
    this.stats = stats;
    this.queue = new FetchQueue(fetchesAtOnce);
  }

  /** The home line's run: Range requests to the origin, no job to release. */
  static SourceRun home(int id, ByteSource home, LiveDownload stats, int fetchesAtOnce) {
    return new SourceRun(id, "home", home, null, null, () -> {}, stats, fetchesAtOnce);
  }

  /**
   * The run of one of the home's extra lines ({@code wan.lines}): Range requests to the origin from
   * the line's address. Trusted like the home line (no spot checks), retired like a neighbor.
   */
  static SourceRun line(
      int id, OwnLine line, ByteSource source, LiveDownload stats, int fetchesAtOnce) {
    return new SourceRun(id, line.name(), source, null, line, () -> {}, stats, fetchesAtOnce);
  }

  /** The run of a neighbor that accepted the job. */
  static SourceRun neighbor(
      int id, Neighbor neighbor, Neighbor.Joined joined, LiveDownload stats, int fetchesAtOnce) {
    return new SourceRun(
        id,
        neighbor.name(),
        joined.source(),
        neighbor,
        null,
        joined.release(),
        stats,
        fetchesAtOnce);
  }

  int id() {
    return id;
  }

  /** {@code home} or the neighbor's name. */
  String name() {
    return name;
  }

  /** Whether a neighbor serves it (spot checks, quarantine and the ledger concern only those). */
  boolean isNeighbor() {
    return neighbor != null;
  }

  /** Whether it is the primary home line (the flowing response's, and repairs'). */
  boolean isHome() {
    return neighbor == null && line == null;
  }

  /** The extra own line behind it; null for the home line and neighbors. */
  OwnLine line() {
    return line;
  }

  /** The neighbor behind it; null for the home line. */
  Neighbor neighbor() {
    return neighbor;
  }

  /** Whether it still gets work: not retired. */
  boolean live() {
    return live;
  }

  FetchQueue queue() {
    return queue;
  }

  /** Opens a fetch of {@code range} (absolute offsets); see {@link ByteSource#open}. */
  Future<Flow> open(ByteRange range) {
    return source.open(range);
  }

  /** {@code bytes} of an assignment arrived, {@code keptBytes} of them new to the client. */
  void delivered(long assignmentId, long bytes, long keptBytes, long now) {
    stats.delivered(id, assignmentId, bytes, keptBytes, now);
    if (neighbor != null) {
      neighbor.delivered(bytes);
    }
    if (line != null) {
      line.delivered(bytes);
    }
  }

  /** The planner took an assignment from it for silence. */
  void stalled() {
    stats.stalled(id);
  }

  /** A range of it failed. */
  void failed() {
    stats.failed(id);
  }

  /** The planner or a failure retired it: nothing more starts on it. */
  void retire() {
    stats.retired(id);
    live = false;
    queue.clear();
  }

  /** Its neighbor was caught sending wrong bytes: it is trusted no more. */
  void misbehaved(String reason) {
    if (neighbor != null) {
      neighbor.misbehaved(reason);
    }
  }

  /** The download is over, or the node's scheduler took the slot: the job is released, once. */
  void releaseJob() {
    if (released) {
      return;
    }
    released = true;
    try {
      releaseJob.run();
    } catch (RuntimeException e) {
      // A job not released is dropped by the helper after its idle timeout; the client's response
      // must still be finished or reset.
      LOG.log(System.Logger.Level.DEBUG, "releasing a neighbor's job failed: {0}", e.toString());
    }
  }
}
