package io.bamqp.proxy.aggregation;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.bamqp.planner.Action;
import io.bamqp.planner.ByteRange;
import io.bamqp.planner.ChunkPlanner;
import io.bamqp.planner.PlannerConfig;
import io.bamqp.proxy.aggregation.Eligibility.Download;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One aggregated download: the chunk planner decides which source fetches which range, the sources
 * stream their ranges, the {@link ReorderBuffer} puts bytes back in order, and the client gets them
 * strictly in order with back-pressure. Offsets given to the planner count from the first byte the
 * client gets; sources are asked for absolute offsets of the representation.
 *
 * <p>Confined to the client connection's event loop: no locks.
 */
final class DownloadSession {
  private static final System.Logger LOG = System.getLogger("io.bamqp.session");

  /** How often the planner hears that time passed (stall detection, due work). */
  static final long TICK_MILLIS = 50;

  /** Failed Range requests on the home line before it is given up as a source. */
  static final int HOME_FAILURES_TOLERATED = 3;

  /**
   * Ranges fetched at once from one source; the planner's further assignments to it wait their
   * turn, in order. It equals what a helper serves per job ({@link
   * io.bamqp.peer.HelperOptions#MAX_FETCHES_PER_JOB}), so a helper is never asked for more.
   */
  static final int FETCHES_PER_SOURCE = io.bamqp.peer.HelperOptions.MAX_FETCHES_PER_JOB;

  private final Vertx vertx;
  private final Download download;
  private final HttpServerResponse client;
  private final ChunkPlanner planner;
  private final ByteSource home;
  private final long homeBytesPerSecond;
  private final long homeRttNanos;
  private final ReorderBuffer buffer = new ReorderBuffer();
  private final Map<Integer, ByteSource> sources = new HashMap<>();
  private final Map<Integer, String> names = new LinkedHashMap<>();
  private final Map<Integer, Neighbor> neighborsById = new HashMap<>();
  private final Set<Integer> live = new HashSet<>();
  private final Map<Long, Running> running = new HashMap<>();
  private final Map<Long, Integer> opening = new HashMap<>();
  private final Map<Integer, Integer> fetching = new HashMap<>();
  private final Map<Integer, ArrayDeque<Action.Assign>> waiting = new HashMap<>();
  private final List<Runnable> releases = new ArrayList<>();
  private final Promise<SessionReport> outcome = Promise.promise();
  private final String jobId = UUID.randomUUID().toString();
  private final long startedNanos = System.nanoTime();
  private final LiveDownload stats;
  private Flow initialResponse;
  private ReprDigest digest;
  private SpotChecks spotChecks;
  private Buffer heldForChecks;
  private long timer = -1;
  private long reportedPosition;
  private int nextSourceId = ChunkPlanner.HOME_SOURCE;
  private int homeFailures;
  private boolean draining;
  private boolean over;

  /** An assignment being fetched, and where its next byte goes. */
  private static final class Running {
    final int sourceId;
    final ByteRange range;
    final Flow flow;
    final boolean runsPastRange;
    long next;

    Running(int sourceId, ByteRange range, Flow flow, boolean runsPastRange) {
      this.sourceId = sourceId;
      this.range = range;
      this.flow = flow;
      this.runsPastRange = runsPastRange;
      this.next = range.first();
    }
  }

  DownloadSession(
      Vertx vertx,
      Download download,
      HttpServerResponse client,
      Flow initialResponse,
      ByteSource home,
      long homeBytesPerSecond,
      long homeRttNanos,
      PlannerConfig limits) {
    this.vertx = vertx;
    this.download = download;
    this.client = client;
    this.initialResponse = initialResponse;
    this.home = home;
    this.homeBytesPerSecond = homeBytesPerSecond;
    this.homeRttNanos = homeRttNanos;
    this.planner =
        ChunkPlanner.create(
            new PlannerConfig(
                download.range().length(),
                limits.bufferBytes(),
                limits.stallTimeoutNanos(),
                limits.hedgeCapFraction()));
    this.stats =
        new LiveDownload(jobId, download.range().length(), homeBytesPerSecond, startedNanos);
  }

  /** The download's live statistics, for the statistics page. */
  LiveDownload stats() {
    return stats;
  }

  /** The bytes the client has been written so far; on the session's event loop. */
  long written() {
    return buffer.written();
  }

  /**
   * Checks the reassembled bytes against the origin's {@code Repr-Digest} before the last of them
   * goes out; set before {@link #start}.
   */
  DownloadSession verifying(ReprDigest digest) {
    this.digest = digest;
    return this;
  }

  /**
   * Re-fetches a random block of {@code ratio} of the neighbors' ranges over the home line and
   * compares ({@code aggregation.spotCheckRatio}); set before {@link #start}.
   */
  DownloadSession spotChecking(double ratio) {
    if (ratio > 0) {
      this.spotChecks = new SpotChecks(ratio, new SplittableRandom(), home, this::spotMismatch);
    }
    return this;
  }

  /**
   * Starts the download: the home line at once (its response is already flowing), each neighbor
   * once it accepts. The client's response head must already be set; the future completes when the
   * client has every byte, or fails when the download had to be abandoned (the client connection is
   * then reset, so a partial body never looks complete).
   */
  Future<SessionReport> start(List<Neighbor> neighbors, String url) {
    if (client.closed()) {
      initialResponse.cancel();
      return Future.failedFuture("the client went away before the download began");
    }
    client.closeHandler(closed -> abandon("the client went away", false));
    client.exceptionHandler(failure -> abandon("client connection failed", false));
    join(home, "home", homeBytesPerSecond, homeRttNanos);
    long expectedMillis = download.range().length() * 1000 / homeBytesPerSecond;
    for (Neighbor neighbor : neighbors) {
      neighbor
          .offer(jobId, download, url, expectedMillis)
          .onSuccess(
              joined -> {
                if (over) {
                  joined.release().run();
                  return;
                }
                releases.add(joined.release());
                neighborsById.put(nextSourceId, neighbor);
                join(joined.source(), neighbor.name(), joined.bytesPerSecond(), joined.rttNanos());
              })
          .onFailure(
              declined -> {
                stats.declined(neighbor.name(), declined.getMessage());
                LOG.log(
                    System.Logger.Level.DEBUG,
                    "{0} takes no part: {1}",
                    neighbor.name(),
                    declined.getMessage());
              });
    }
    timer =
        vertx.setPeriodic(
            TICK_MILLIS,
            tick -> {
              long now = System.nanoTime();
              stats.tick(now, buffer.written());
              apply(planner.tick(now));
            });
    return outcome.future();
  }

  private void join(ByteSource source, String name, long bytesPerSecond, long rttNanos) {
    int id = nextSourceId++;
    sources.put(id, source);
    names.put(id, name);
    live.add(id);
    stats.joined(id, name, bytesPerSecond, rttNanos, System.nanoTime());
    apply(planner.sourceJoined(id, Math.max(1, bytesPerSecond), rttNanos, System.nanoTime()));
  }

  private void apply(List<Action> actions) {
    for (Action action : actions) {
      if (over) {
        return;
      }
      if (action instanceof Action.Assign assign) {
        start(assign);
      } else if (action instanceof Action.Cancel cancel) {
        cancel(cancel);
      }
    }
    keepGoing();
  }

  private void cancel(Action.Cancel cancel) {
    long id = cancel.assignmentId();
    boolean retires = cancel.reason() != Action.Cancel.Reason.HEDGE_LOST;
    Running stopped = running.remove(id);
    Integer source = stopped != null ? Integer.valueOf(stopped.sourceId) : opening.remove(id);
    if (stopped != null) {
      stopped.flow.cancel();
      if (spotChecks != null) {
        spotChecks.rangeStopped(stopped.sourceId, absolute(stopped.range));
      }
    }
    if (source != null) {
      if (retires) {
        if (cancel.reason() == Action.Cancel.Reason.STALLED) {
          stats.stalled(source);
        }
        retire(source);
        if (sources.get(source) == home) {
          // Counted like a failure, so a home line that keeps stalling ends the download instead
          // of rejoining for ever.
          homeFailures++;
        }
      }
      finished(source);
      return;
    }
    waiting.values().forEach(queue -> queue.removeIf(queued -> queued.assignmentId() == id));
  }

  private void start(Action.Assign assign) {
    long id = assign.assignmentId();
    int sourceId = assign.sourceId();
    ByteRange range = assign.range();
    stats.assigned(id, assign.purpose());
    if (fetching.getOrDefault(sourceId, 0) >= FETCHES_PER_SOURCE) {
      waiting.computeIfAbsent(sourceId, s -> new ArrayDeque<>()).add(assign);
      return;
    }
    fetching.merge(sourceId, 1, Integer::sum);
    if (assign.purpose() == Action.Assign.Purpose.INITIAL_RESPONSE) {
      attach(id, sourceId, range, initialResponse, true);
      initialResponse = null;
      return;
    }
    long base = download.range().first();
    Future<Flow> open;
    try {
      open = sources.get(sourceId).open(new ByteRange(base + range.first(), base + range.last()));
    } catch (RuntimeException bug) {
      open = Future.failedFuture(bug);
    }
    opening.put(id, sourceId);
    open.onComplete(
        opened -> {
          boolean wanted = opening.remove(id) != null && !over;
          if (!wanted) {
            if (opened.succeeded()) {
              opened.result().cancel();
            }
          } else if (opened.failed()) {
            failed(id, sourceId, opened.cause());
          } else {
            attach(id, sourceId, range, opened.result(), false);
          }
        });
  }

  /** One of {@code sourceId}'s fetches is over: the next assignment waiting for it may start. */
  private void finished(int sourceId) {
    fetching.merge(sourceId, -1, Integer::sum);
    ArrayDeque<Action.Assign> queue = waiting.get(sourceId);
    if (queue != null && !queue.isEmpty() && !over && live.contains(sourceId)) {
      start(queue.poll());
    }
  }

  /** The planner or a failure retired a source: nothing more starts on it. */
  private void retire(int sourceId) {
    stats.retired(sourceId);
    live.remove(sourceId);
    waiting.remove(sourceId);
  }

  /**
   * @param runsPastRange whether the flow goes on beyond the range (the initial response does) and
   *     must be cut once the range is whole; a range fetch ends by itself and keeps its connection
   *     for the next request
   */
  private void attach(long id, int sourceId, ByteRange range, Flow flow, boolean runsPastRange) {
    Running run = new Running(sourceId, range, flow, runsPastRange);
    running.put(id, run);
    if (spotChecks != null && neighborsById.containsKey(sourceId)) {
      spotChecks.rangeStarted(sourceId, absolute(range));
    }
    flow.handler(data -> received(id, run, data));
    flow.endHandler(end -> ended(id));
    flow.exceptionHandler(
        failure -> {
          if (failure instanceof PeerException caught
              && caught.code().provesMisbehaviour()
              && neighborsById.containsKey(sourceId)) {
            // Its bytes failed their checks before release (even after its range was whole, as
            // with bytes past the end): whatever is left goes elsewhere, and it is trusted no more.
            neighborsById.get(sourceId).misbehaved(caught.getMessage());
          }
          if (running.get(id) == run) {
            failed(id, sourceId, failure);
          }
        });
    flow.resume();
  }

  private void received(long id, Running run, Buffer data) {
    if (running.get(id) != run) {
      return;
    }
    long room = run.range.last() - run.next + 1;
    Buffer mine = data.length() > room ? data.slice(0, (int) room) : data;
    if (spotChecks != null) {
      spotChecks.received(run.sourceId, download.range().first() + run.next, mine);
    }
    long kept = buffer.accept(run.next, mine);
    stats.delivered(run.sourceId, id, mine.length(), kept, System.nanoTime());
    Neighbor neighbor = neighborsById.get(run.sourceId);
    if (neighbor != null) {
      neighbor.delivered(mine.length());
    }
    run.next += mine.length();
    if (run.next > run.range.last()) {
      running.remove(id);
      if (run.runsPastRange) {
        run.flow.cancel();
      }
      finished(run.sourceId);
    }
    apply(planner.delivered(id, mine.length(), System.nanoTime()));
    drain();
  }

  private void ended(long id) {
    Running run = running.remove(id);
    if (run != null) {
      finished(run.sourceId);
      apply(planner.assignmentCompleted(id, System.nanoTime()));
    }
  }

  /** A live assignment (being opened or running) failed. */
  private void failed(long id, int sourceId, Throwable cause) {
    if (over) {
      return;
    }
    Running run = running.remove(id);
    if (run != null) {
      run.flow.cancel();
      if (spotChecks != null) {
        spotChecks.rangeStopped(sourceId, absolute(run.range));
      }
    }
    boolean isHome = sources.get(sourceId) == home;
    boolean busy = cause instanceof PeerException refusal && refusal.code() == PeerErrorCode.BUSY;
    if (!isHome && !busy) {
      retire(sourceId);
    }
    finished(sourceId);
    if (!busy) {
      stats.failed(sourceId);
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0} failed a range: {1}",
        names.get(sourceId),
        cause.toString());
    if (cause instanceof ObjectChangedException && isHome) {
      abandon("the object changed during the download: " + cause.getMessage(), true);
      return;
    }
    long now = System.nanoTime();
    if (busy) {
      // The helper still counted a fetch that had just ended: not a failure, plan the range again.
      apply(planner.assignmentCompleted(id, now));
      return;
    }
    if (isHome && ++homeFailures < HOME_FAILURES_TOLERATED) {
      apply(planner.assignmentCompleted(id, now));
      return;
    }
    retire(sourceId);
    apply(planner.sourceFailed(sourceId, now));
  }

  /** If every source is gone the home line rejoins: the download is never left without one. */
  private void keepGoing() {
    if (over || !live.isEmpty()) {
      return;
    }
    if (homeFailures >= HOME_FAILURES_TOLERATED * 2) {
      abandon("every source failed, the home line too", true);
      return;
    }
    join(home, "home", homeBytesPerSecond, homeRttNanos);
  }

  private void drain() {
    if (draining || over) {
      return;
    }
    draining = true;
    try {
      while (!client.writeQueueFull()) {
        Buffer next = buffer.takeNext();
        if (next == null) {
          break;
        }
        if (digest != null) {
          digest.update(next);
        }
        if ((digest != null || spotChecks != null)
            && buffer.written() == download.range().length()) {
          // The last bytes wait for every check: a failed one must leave the body incomplete.
          heldForChecks = next;
          break;
        }
        client.write(next);
      }
    } finally {
      draining = false;
    }
    long written = buffer.written();
    if (written == download.range().length()) {
      finish();
      return;
    }
    if (written != reportedPosition) {
      reportedPosition = written;
      apply(planner.clientAdvanced(written, System.nanoTime()));
    }
    if (client.writeQueueFull()) {
      client.drainHandler(drained -> drain());
    }
  }

  private void finish() {
    if (spotChecks != null && spotChecks.pending() > 0) {
      spotChecks.settled(this::finish);
      return;
    }
    if (over) {
      return;
    }
    if (digest != null && !digest.matches()) {
      abandon(
          "the bytes do not match the origin's Repr-Digest ("
              + digest.algorithm()
              + "); the client connection was reset",
          true);
      return;
    }
    stop();
    if (heldForChecks != null) {
      client.end(heldForChecks);
    } else {
      client.end();
    }
    outcome.complete(report());
  }

  private void spotMismatch(int sourceId, long offset) {
    String reason =
        "a spot check found "
            + names.get(sourceId)
            + "'s bytes differ from the origin's at offset "
            + offset;
    neighborsById.get(sourceId).misbehaved(reason);
    abandon(reason + "; the client connection was reset", true);
  }

  private ByteRange absolute(ByteRange relative) {
    long base = download.range().first();
    return new ByteRange(base + relative.first(), base + relative.last());
  }

  private void abandon(String reason, boolean resetClient) {
    if (over) {
      return;
    }
    stop();
    if (resetClient && client.headWritten() && !client.closed()) {
      // Bytes are out: only a dropped connection tells the client the body is incomplete. Before
      // that, the proxy answers 502 with the reason.
      client.reset();
    }
    outcome.fail(new IllegalStateException(reason));
  }

  private void stop() {
    over = true;
    vertx.cancelTimer(timer);
    running.values().forEach(run -> run.flow.cancel());
    running.clear();
    if (initialResponse != null) {
      initialResponse.cancel();
    }
    buffer.clear();
    for (Runnable release : releases) {
      try {
        release.run();
      } catch (RuntimeException e) {
        // A job not released is dropped by the helper after its idle timeout; the client's
        // response must still be finished or reset.
        LOG.log(System.Logger.Level.DEBUG, "releasing a neighbor's job failed: {0}", e.toString());
      }
    }
  }

  private SessionReport report() {
    Map<String, Long> bytesBySource = new LinkedHashMap<>();
    planner
        .counters()
        .deliveredBytesBySource()
        .forEach((id, bytes) -> bytesBySource.merge(names.get(id), bytes, Long::sum));
    return new SessionReport(
        download.range().length(),
        System.nanoTime() - startedNanos,
        bytesBySource,
        planner.counters().hedgedBytes(),
        planner.counters().replannedBytes(),
        buffer.maxHeld());
  }
}
