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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * One aggregated download: the chunk planner decides which source fetches which range, the sources
 * stream their ranges, the {@link ReorderBuffer} puts bytes back in order, and the client gets them
 * strictly in order with back-pressure. Offsets given to the planner count from the first byte the
 * client gets; sources are asked for absolute offsets of the representation. Each source's part is
 * a {@link SourceRun}; the {@link EndGate} holds the last bytes until every check has passed.
 *
 * <p>Confined to the client connection's event loop: no locks.
 */
final class DownloadSession {
  private static final System.Logger LOG = System.getLogger("io.bamqp.session");

  /** How often the planner hears that time passed (stall detection, due work). */
  static final long TICK_MILLIS = 50;

  /** Ticks between two reports of progress to the node's {@link SlotScheduler}. */
  static final long TICKS_PER_REPORT = SlotScheduler.DECIDE_MILLIS / TICK_MILLIS;

  /**
   * Failed Range requests on the home line before it is given up as a source (twice this, stalls
   * included, and the download ends once no neighbor is left). Counted since the home line last
   * made progress: see {@link #HOME_PROGRESS_BYTES}.
   */
  static final int HOME_FAILURES_TOLERATED = 3;

  /**
   * New bytes the home line brings in after a failure or stall that prove it works again and start
   * its failure count afresh. Without this, hiccups over a long download (a reset origin, a GC
   * pause or a busy CPU longer than the stall timeout) add up until the sixth ends a download that
   * was progressing; a home line that fails without delivering this much in between still ends it.
   */
  static final long HOME_PROGRESS_BYTES = 1024 * 1024;

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
  private final EndGate gate;
  private long windowBytes;
  private BufferBudget.Window share;
  private SpotChecks checks;
  private final Map<OwnLine, ByteSource> lines = new LinkedHashMap<>();
  private final Map<OwnLine, SourceRun> lineRuns = new HashMap<>();
  private PieceGate pieces;
  private final Set<Integer> quarantined = new HashSet<>();
  private final Map<Integer, CheckJob> checkJobs = new HashMap<>();
  private final Map<Integer, Long> offeredRates = new HashMap<>();
  private String url;
  private int repairs;
  private final Map<Integer, SourceRun> sources = new LinkedHashMap<>();
  private final Map<Long, RunningFetch> running = new HashMap<>();
  private final Map<Long, SourceRun> opening = new HashMap<>();
  private final Promise<SessionReport> outcome = Promise.promise();
  private SlotScheduler scheduler;
  private SlotScheduler.Ticket ticket;
  private long ticks;
  private long reportedAt = System.nanoTime();
  private long reportedWritten;
  private final String jobId = UUID.randomUUID().toString();
  private final long startedNanos = System.nanoTime();
  private final LiveDownload stats;
  private Flow initialResponse;
  private long timer = -1;
  private long reportedPosition;
  private int nextSourceId = ChunkPlanner.HOME_SOURCE;
  private int homeFailures;
  private long homeBytesSinceFailure;

  /** The home line's current run in this download (live, or retired until it rejoins). */
  private SourceRun homeRun;

  /** When a retired home line may join this download again: see {@link #rejoinHome}. */
  private long homeRetryAtNanos;

  private boolean draining;
  private boolean over;

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
    this.gate = new EndGate(download.range().length());
    this.windowBytes = limits.bufferBytes();
  }

  /**
   * Takes neighbors from the node's {@code scheduler} (which hands out and moves their job slots
   * between downloads) instead of offering the job to each at start; set before {@link #start}.
   */
  DownloadSession scheduledBy(SlotScheduler scheduler) {
    this.scheduler = scheduler;
    return this;
  }

  /**
   * Follows {@code window}, this download's share of the node's {@link BufferBudget}: each tick the
   * session says how far it reaches beyond the client and takes the window's new size as its
   * reorder window. Set before {@link #start}; without it the window stays {@code limits}'.
   */
  DownloadSession sharing(BufferBudget.Window window) {
    this.share = window;
    return this;
  }

  /** The window's size may have changed: the planner plans with the new one from now on. */
  private void followShare(long now) {
    if (share == null) {
      return;
    }
    long bytes = share.settle(planner.aheadBytes());
    if (bytes != windowBytes && bytes > 0) {
      if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "download {0}: window {1} -> {2} KiB",
            stats.id(),
            windowBytes >> 10,
            bytes >> 10);
      }
      windowBytes = bytes;
      apply(planner.windowChanged(bytes, now));
    }
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
    gate.verifying(digest);
    return this;
  }

  /**
   * Re-fetches a random block of {@code ratio} of the neighbors' ranges over the home line and
   * compares ({@code aggregation.spotCheckRatio}); set before {@link #start}.
   */
  DownloadSession spotChecking(double ratio) {
    return spotChecking(ratio, new SplittableRandom());
  }

  /** As {@link #spotChecking(double)}, placing blocks with {@code random} (tests fix it). */
  DownloadSession spotChecking(double ratio, RandomGenerator random) {
    if (ratio > 0) {
      checks =
          new SpotChecks(
              new SamplePlan(ratio, random),
              download.range().length(),
              vertx,
              home,
              new CheckTeam());
      gate.spotChecking(checks);
    }
    return this;
  }

  /**
   * Adds the home's extra lines ({@code wan.lines}) as sources, each over its own {@code
   * sources.get(line)}; set before {@link #start}. A line that fails or stalls is retired from the
   * download and joins it again once its backoff has passed ({@link OwnLine#mayTry}).
   */
  DownloadSession overLines(Map<OwnLine, ByteSource> sources) {
    lines.putAll(sources);
    return this;
  }

  /**
   * Releases the client's bytes only piece by piece as each matches the origin's Metalink piece
   * hashes ({@link PieceGate}), which arrive while the body flows (null: there are none); neighbor
   * ranges started once they are known are not spot-checked. A client's own range is not checked by
   * pieces. Set before {@link #start}.
   */
  DownloadSession checkingPieces(Future<Metalink.Pieces> known) {
    if (!download.partial()) {
      pieces = new PieceGate(vertx, known, buffer, home, windowBytes, new PieceTeam());
    }
    return this;
  }

  /** The piece gate's view of this download. */
  private final class PieceTeam implements PieceGate.Team {
    @Override
    public void caught(int sourceId, String detail) {
      SourceRun source = sources.get(sourceId);
      DownloadSession.this.caught(
          sourceId, "a Metalink piece hash found " + source.name() + "'s " + detail);
    }

    @Override
    public void refetch(long from, long to) {
      if (!over) {
        dropHeld(from, to);
        repair(absolute(new ByteRange(from, to - 1)));
      }
    }

    @Override
    public void failed(String reason) {
      abandon(reason + "; the client connection was reset", true);
    }

    @Override
    public void settled() {
      if (pieces.active()) {
        stats.verifiedBy(LiveDownload.METALINK_PIECES);
      }
      drain();
    }
  }

  /** The spot checks' view of this download: who checks whom, and what a verdict does. */
  private final class CheckTeam implements SpotChecks.Team {
    /**
     * The other live neighbor with the most spare capacity: the fewest check bytes already asked of
     * it for each byte per second it offered (none yet: the most spare), so checking spreads over
     * the neighbors' lines in proportion to their rates instead of falling on the first one (issue
     * 14: at scale 1 one 20 Mbit/s neighbor fetched every other neighbor's probation). A check job
     * not yet open is opened only when the node's scheduler has a slot on that helper no other
     * download waits for ({@link SlotScheduler.Ticket#mayCheck}); else the next one is tried, and
     * the home line checks when none can.
     */
    @Override
    public SpotChecks.Checker checkerFor(int sourceId) {
      List<SourceRun> others = new ArrayList<>();
      for (SourceRun other : sources.values()) {
        CheckJob job = checkJobs.get(other.id());
        if (other.isNeighbor()
            && other.live()
            && other.id() != sourceId
            && (job == null || job.usable())) {
          others.add(other);
        }
      }
      others.sort(Comparator.comparingDouble(this::checkLoad));
      for (SourceRun other : others) {
        CheckJob job = checkJobs.get(other.id());
        if (job == null) {
          if (ticket != null && !ticket.mayCheck(other.neighbor())) {
            continue;
          }
          job = openCheckJob(other);
        }
        return new SpotChecks.Checker(other.id(), false, job);
      }
      return new SpotChecks.Checker(-1, true, home);
    }

    private double checkLoad(SourceRun other) {
      CheckJob job = checkJobs.get(other.id());
      return job == null
          ? 0
          : (double) job.askedBytes() / Math.max(1, offeredRates.get(other.id()));
    }

    @Override
    public long cleanHistory(int sourceId) {
      SourceRun source = sources.get(sourceId);
      return source == null || source.neighbor() == null ? 0 : source.neighbor().cleanBytes();
    }

    @Override
    public void caught(int sourceId, String reason) {
      DownloadSession.this.caught(
          sourceId,
          "a spot check found " + sources.get(sourceId).name() + "'s " + reason.substring(4));
    }

    @Override
    public void settled() {
      drain();
    }
  }

  private long jobMillis() {
    return download.range().length() * 1000 / homeBytesPerSecond;
  }

  /**
   * Starts the download: the home line at once (its response is already flowing), each neighbor
   * once it accepts. The client's response head must already be set; the future completes when the
   * client has every byte, or fails when the download had to be abandoned (the client connection is
   * then reset, so a partial body never looks complete).
   */
  Future<SessionReport> start(List<Neighbor> neighbors, String url) {
    this.url = url;
    if (client.closed()) {
      initialResponse.cancel();
      return Future.failedFuture("the client went away before the download began");
    }
    client.closeHandler(closed -> abandon("the client went away", false));
    client.exceptionHandler(failure -> abandon("client connection failed", false));
    if (lines.isEmpty()) {
      joinHome();
    } else {
      // The home keeps the planner's first source id, but the lines join first: the first plan
      // then shares the file among them all instead of handing the home the lot.
      homeRun = SourceRun.home(nextSourceId++, home, stats, FETCHES_PER_SOURCE);
      planner.awaitHome();
      joinLines();
      join(homeRun, homeBytesPerSecond, homeRttNanos);
    }
    if (scheduler != null) {
      ticket = scheduler.enlist(download.range().length(), new Seat());
    } else {
      neighbors.forEach(this::offerTo);
    }
    timer =
        vertx.setPeriodic(
            TICK_MILLIS,
            tick -> {
              long now = System.nanoTime();
              stats.tick(now, buffer.written());
              if (ticket != null && ++ticks % TICKS_PER_REPORT == 0) {
                reportProgress(now);
              }
              apply(planner.tick(now));
              followShare(now);
              joinLines();
              rejoinHome(now);
            });
    return outcome.future();
  }

  /** Offers the job to {@code neighbor}; it joins if it accepts. */
  private void offerTo(Neighbor neighbor) {
    neighbor
        .offer(jobId, download, url, jobMillis())
        .onSuccess(
            joined -> {
              if (over) {
                joined.release().run();
                return;
              }
              join(
                  SourceRun.neighbor(nextSourceId++, neighbor, joined, stats, FETCHES_PER_SOURCE),
                  joined.bytesPerSecond(),
                  joined.rttNanos());
              if (ticket != null) {
                ticket.joined(neighbor, joined.bytesPerSecond());
              }
            })
        .onFailure(
            declined -> {
              if (ticket != null) {
                ticket.notJoined(neighbor, declined);
              }
              if (!(declined instanceof NeighborBusy) || ticket == null) {
                // Under the scheduler a busy answer is a wait for the slot, not a refusal.
                stats.declined(neighbor.name(), declined.getMessage());
              }
              LOG.log(
                  System.Logger.Level.DEBUG,
                  "{0} takes no part in download {1}: {2}",
                  neighbor.name(),
                  stats.id(),
                  declined.getMessage());
            });
  }

  private void joinHome() {
    homeRun = SourceRun.home(nextSourceId++, home, stats, FETCHES_PER_SOURCE);
    join(homeRun, homeBytesPerSecond, homeRttNanos);
  }

  /**
   * A home line retired from this download (it stalled, or failed {@link #HOME_FAILURES_TOLERATED}
   * times) joins it again once its backoff has passed, like the extra lines do ({@link
   * OwnLine#backoffMillis}, counted by its failures since it last progressed). Before, it came back
   * only when no other source was left: with several downloads on one line, a home range that
   * waited past the stall timeout behind the others' took the home line out of its download for
   * good, and the line sat idle while the neighbors carried the tail alone (the eight-at-once bench
   * lost 45 s of it).
   */
  private void rejoinHome(long now) {
    if (over
        || planner.isComplete()
        || homeRun == null
        || homeRun.live()
        || now - homeRetryAtNanos < 0) {
      return;
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "home joins download {0} again after {1} failures",
        stats.id(),
        String.valueOf(homeFailures));
    joinHome();
  }

  /** Each extra line not taking part now joins (again) if it may be tried and has room. */
  private void joinLines() {
    if (over || planner.isComplete()) {
      return;
    }
    lines.forEach(
        (line, source) -> {
          SourceRun current = lineRuns.get(line);
          if ((current == null || !current.live()) && line.usableFor(download.range().length())) {
            SourceRun run = SourceRun.line(nextSourceId++, line, source, stats, FETCHES_PER_SOURCE);
            lineRuns.put(line, run);
            join(run, line.config().bytesPerSecond(), homeRttNanos);
          }
        });
  }

  private void join(SourceRun source, long bytesPerSecond, long rttNanos) {
    int id = source.id();
    sources.put(id, source);
    offeredRates.put(id, bytesPerSecond);
    stats.joined(id, source.name(), bytesPerSecond, rttNanos, System.nanoTime());
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
    // A lost hedge or a range that made way for a dead source's remainder says nothing bad about
    // its source; a stall or a failure retires it.
    boolean retires =
        cancel.reason() == Action.Cancel.Reason.STALLED
            || cancel.reason() == Action.Cancel.Reason.SOURCE_FAILED;
    RunningFetch stopped = running.remove(id);
    SourceRun source = stopped != null ? stopped.source() : opening.remove(id);
    if (stopped != null) {
      stopped.cancel();
      rangeStopped(source, stopped);
    }
    if (source != null) {
      // One stall or failure takes back every range the source had in flight, one cancel each; it
      // is counted, and the source leaves, once: at the first, while the source is still live.
      if (retires && source.live()) {
        boolean stalled = cancel.reason() == Action.Cancel.Reason.STALLED;
        if (stalled) {
          source.stalled();
        }
        source.retire();
        leave(source, "it stalled or failed");
        if (source.isHome()) {
          // Counted like a failure, so a home line that keeps stalling waits longer each time
          // before it rejoins, and ends the download instead of rejoining for ever once no other
          // source is left.
          homeFailed();
        } else if (source.line() != null && stalled) {
          source.line().failed("stalled");
        }
      }
      finished(source);
      return;
    }
    sources.values().forEach(queued -> queued.queue().drop(id));
  }

  private void start(Action.Assign assign) {
    long id = assign.assignmentId();
    SourceRun source = sources.get(assign.sourceId());
    ByteRange range = assign.range();
    stats.assigned(id, assign.purpose());
    if (!source.queue().admit(assign)) {
      return;
    }
    if (assign.purpose() == Action.Assign.Purpose.INITIAL_RESPONSE) {
      attach(id, source, range, initialResponse, true, startedNanos);
      initialResponse = null;
      return;
    }
    long asked = System.nanoTime();
    Future<Flow> open;
    try {
      open = source.open(absolute(range));
    } catch (RuntimeException bug) {
      open = Future.failedFuture(bug);
    }
    opening.put(id, source);
    open.onComplete(
        opened -> {
          boolean wanted = opening.remove(id) != null && !over;
          if (!wanted) {
            if (opened.succeeded()) {
              opened.result().cancel();
            }
          } else if (opened.failed()) {
            failed(id, source, opened.cause());
          } else {
            attach(id, source, range, opened.result(), false, asked);
          }
        });
  }

  /** One of {@code source}'s fetches is over: the next assignment waiting for it may start. */
  private void finished(SourceRun source) {
    source.queue().fetchEnded();
    if (!over && source.live()) {
      Action.Assign next = source.queue().next();
      if (next != null) {
        start(next);
      }
    }
  }

  /** See {@link RunningFetch#RunningFetch} for {@code runsPastRange}. */
  private void attach(
      long id,
      SourceRun source,
      ByteRange range,
      Flow flow,
      boolean runsPastRange,
      long askedNanos) {
    RunningFetch run = new RunningFetch(source, range, flow, runsPastRange, askedNanos);
    running.put(id, run);
    if (source.isNeighbor() && checks != null && (pieces == null || !pieces.active())) {
      checks.rangeStarted(source.id(), absolute(range));
    }
    flow.handler(data -> received(id, run, data));
    flow.endHandler(end -> ended(id));
    flow.exceptionHandler(
        failure -> {
          if (failure instanceof PeerException caught
              && caught.code().provesMisbehaviour()
              && source.isNeighbor()) {
            // Its bytes failed their checks before release (even after its range was whole, as
            // with bytes past the end): whatever is left goes elsewhere, and it is trusted no more.
            source.misbehaved(caught.getMessage());
          }
          if (running.get(id) == run) {
            failed(id, source, failure);
          }
        });
    flow.resume();
  }

  private void received(long id, RunningFetch run, Buffer data) {
    if (running.get(id) != run) {
      return;
    }
    Buffer mine = run.clip(data);
    if (checks != null && run.source().isNeighbor()) {
      checks.received(run.source().id(), download.range().first() + run.next(), mine);
      if (running.get(id) != run) {
        // These bytes completed a block whose check caught the neighbor, there and then: they
        // are part of what is being repaired from the home line (or the download is over), and
        // kept now they would reach the client unchecked.
        return;
      }
    }
    long kept =
        keep(run.next(), mine, run.source().isNeighbor() ? run.source().id() : ByteOwners.HOME);
    run.source().delivered(id, mine.length(), kept, System.nanoTime());
    if (run.source().isHome()) {
      homeProgressed(kept);
    }
    if (run.advance(mine.length())) {
      running.remove(id);
      if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "{0}: {1} of download {2}",
            run.source().name(),
            run.timeline(startedNanos, System.nanoTime()),
            stats.id());
      }
      run.cutIfRunsPastRange();
      finished(run.source());
    }
    apply(planner.delivered(id, mine.length(), System.nanoTime()));
    if (run.source().line() != null && run.source().live() && run.source().line().exhausted()) {
      // A metered line reached its monthly cap: its remainder goes to the other sources.
      run.source().retire();
      apply(planner.sourceFailed(run.source().id(), System.nanoTime()));
    }
    drain();
  }

  /**
   * Puts {@code data} at {@code offset} in the buffer, through the piece gate when there is one;
   * answers how many bytes were kept.
   */
  private long keep(long offset, Buffer data, int owner) {
    return pieces == null ? buffer.accept(offset, data) : pieces.accept(owner, offset, data);
  }

  /** Drops what is held of {@code [from, to)} (client offsets): it is to be fetched again. */
  private void dropHeld(long from, long to) {
    if (pieces == null) {
      buffer.drop(from, to);
    } else {
      pieces.drop(from, to);
    }
  }

  private void ended(long id) {
    RunningFetch run = running.remove(id);
    if (run != null) {
      rangeStopped(run.source(), run);
      finished(run.source());
      apply(planner.assignmentCompleted(id, System.nanoTime()));
    }
  }

  /** A live assignment (being opened or running) failed. */
  private void failed(long id, SourceRun source, Throwable cause) {
    if (over) {
      return;
    }
    RunningFetch run = running.remove(id);
    if (run != null) {
      run.cancel();
      rangeStopped(source, run);
    }
    boolean isHome = source.isHome();
    if (source.line() != null && source.live() && !(cause instanceof ObjectChangedException)) {
      source.line().failed(cause.getMessage() == null ? cause.toString() : cause.getMessage());
    }
    boolean busy = cause instanceof PeerException refusal && refusal.code() == PeerErrorCode.BUSY;
    if (!isHome && !busy) {
      source.retire();
      leave(source, "it failed: " + cause.getMessage());
    }
    finished(source);
    if (!busy) {
      source.failed();
    }
    LOG.log(System.Logger.Level.DEBUG, "{0} failed a range: {1}", source.name(), cause.toString());
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
    if (isHome && homeFailed() < HOME_FAILURES_TOLERATED) {
      apply(planner.assignmentCompleted(id, now));
      return;
    }
    source.retire();
    apply(planner.sourceFailed(source.id(), now));
  }

  /**
   * A retired neighbor leaves the download: it checks nothing more ({@link #endCheckJob}), its
   * probation holds the client no more (it cannot end: without this a dead neighbor held the client
   * for up to the 10 s check timeout, issue 14, T-repair), and under the node's scheduler its job
   * is released and its slot handed on (to this download again only after {@link
   * io.bamqp.planner.SlotAllocator#LEFT_RETRY_NANOS}). Kept until the download ended, a stalled
   * neighbor's slot was counted as this download's: the scheduler never gave that line to it again,
   * nor to another, and a download that had lost its helper in the first seconds trailed the others
   * to the end.
   */
  private void leave(SourceRun source, String why) {
    LOG.log(
        System.Logger.Level.DEBUG, "{0} leaves download {1}: {2}", source.name(), stats.id(), why);
    endCheckJob(source, why);
    if (checks != null) {
      checks.sourceGone(source.id());
    }
    if (ticket != null && source.isNeighbor() && !over) {
      source.releaseJob();
      ticket.left(source.neighbor());
    }
  }

  /**
   * The check job this download holds on {@code source}'s neighbor, if any, ends: the blocks it was
   * asked for fail at once, so their checks fall back to the home line, and the job is released. It
   * takes a job slot of its own on the helper: kept until the download ended, it left the helper
   * one job short for the node's other downloads (declined as busy).
   */
  private void endCheckJob(SourceRun source, String why) {
    CheckJob job = checkJobs.remove(source.id());
    if (job != null) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0} checks no more in download {1}: {2}",
          source.name(),
          stats.id(),
          why);
      job.abort(source.name() + " checks no more: " + why);
      job.release();
      if (ticket != null) {
        ticket.checkEnded(source.neighbor(), null);
      }
    }
  }

  /**
   * Opens a check job on {@code source}'s neighbor; under the scheduler, an offer it declines frees
   * the slot the scheduler counted for it.
   */
  private CheckJob openCheckJob(SourceRun source) {
    CheckJob job = new CheckJob(source.neighbor(), download, url, jobMillis());
    checkJobs.put(source.id(), job);
    if (ticket != null) {
      job.offered().onFailure(declined -> ticket.checkEnded(source.neighbor(), declined));
    }
    return job;
  }

  /**
   * Counts a failure or stall of the home line, and sets when it may rejoin if it is retired;
   * returns the count since it last progressed.
   */
  private int homeFailed() {
    homeBytesSinceFailure = 0;
    homeFailures++;
    homeRetryAtNanos = System.nanoTime() + OwnLine.backoffMillis(homeFailures) * 1_000_000;
    return homeFailures;
  }

  private void homeProgressed(long kept) {
    homeBytesSinceFailure += kept;
    if (homeBytesSinceFailure >= HOME_PROGRESS_BYTES) {
      homeFailures = 0;
    }
  }

  /** Stops {@code source}'s fetches, running and still opening; returns the running ones. */
  private List<RunningFetch> stopFetches(SourceRun source) {
    List<RunningFetch> stopped = new ArrayList<>();
    running
        .values()
        .removeIf(
            run -> {
              if (run.source() != source) {
                return false;
              }
              run.cancel();
              source.queue().fetchEnded();
              stopped.add(run);
              return true;
            });
    opening
        .values()
        .removeIf(
            opener -> {
              if (opener != source) {
                return false;
              }
              source.queue().fetchEnded();
              return true;
            });
    return stopped;
  }

  private void rangeStopped(SourceRun source, RunningFetch run) {
    if (checks != null && source.isNeighbor()) {
      checks.rangeStopped(source.id(), absolute(run.range()));
    }
  }

  /** If every source is gone the home line rejoins: the download is never left without one. */
  private void keepGoing() {
    if (over) {
      return;
    }
    for (SourceRun source : sources.values()) {
      if (source.live()) {
        return;
      }
    }
    if (homeFailures >= HOME_FAILURES_TOLERATED * 2) {
      abandon("every source failed, the home line too", true);
      return;
    }
    joinHome();
  }

  private void drain() {
    if (draining || over) {
      return;
    }
    draining = true;
    try {
      long base = download.range().first();
      while (!client.writeQueueFull()) {
        long hold =
            checks == null
                ? Long.MAX_VALUE
                : checks.holdFrom(base + buffer.written(), probationMayHold());
        long limit = hold == Long.MAX_VALUE ? Long.MAX_VALUE : hold - base;
        if (pieces != null) {
          limit = Math.min(limit, pieces.holdFrom(buffer.written()));
        }
        Buffer next = buffer.takeNext(limit);
        if (next == null) {
          break;
        }
        if (gate.holdsBack(next, buffer.written())) {
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

  /**
   * Whether a neighbor on probation may still keep the client waiting: while its bytes take at most
   * half the window and more bytes are to come (so that its probation can still end). Past that, a
   * neighbor caught later means a reset client, not a repaired download.
   */
  private boolean probationMayHold() {
    return buffer.held() < windowBytes / 2 && !planner.isComplete();
  }

  /** Every byte is taken: the end gate says when the last of them may go. */
  private void finish() {
    gate.decide(this::complete, reason -> abandon(reason, true));
  }

  private void complete(Buffer tail) {
    if (over) {
      return;
    }
    stop();
    if (tail != null) {
      client.end(tail);
    } else {
      client.end();
    }
    if (checks != null) {
      for (SourceRun source : sources.values()) {
        if (source.isNeighbor()) {
          source.neighbor().verifiedClean(checks.comparedCleanOf(source.id()));
        }
      }
    }
    outcome.complete(report());
  }

  /**
   * A spot check or a piece hash caught {@code sourceId} ({@code why} says which, and how): it is
   * quarantined and loses its work. If none of its bytes that no piece hash proved has reached the
   * client, the ones held here are dropped and fetched again over the home line (repaired);
   * otherwise altered bytes may be out, and the client is reset.
   */
  private void caught(int sourceId, String why) {
    if (over || !quarantined.add(sourceId)) {
      return;
    }
    SourceRun source = sources.get(sourceId);
    source.misbehaved(why);
    stats.caught(sourceId);
    List<long[]> spans = checks != null ? checks.forget(sourceId) : List.of();
    List<long[]> unproven = pieces != null ? pieces.unproven(sourceId) : null;
    if (unproven != null) {
      spans = unproven;
    }
    long base = download.range().first();
    long written = base + buffer.written();
    for (long[] span : spans) {
      if (span[0] < written) {
        abandon(why + "; some of its bytes had reached the client, which was reset", true);
        return;
      }
    }
    LOG.log(System.Logger.Level.INFO, "{0}; repairing its bytes from the home line", why);
    stopFetches(source);
    source.retire();
    for (long[] span : spans) {
      dropHeld(span[0] - base, span[1] - base);
      repair(new ByteRange(span[0], span[1] - 1));
    }
    apply(planner.sourceFailed(sourceId, System.nanoTime()));
  }

  /** Fetches {@code range} (absolute) over the home line into the buffer, outside the plan. */
  private void repair(ByteRange range) {
    repairs++;
    long base = download.range().first();
    long[] next = {range.first()};
    home.open(range)
        .onFailure(
            failure -> abandon("repairing a caught neighbor's bytes failed: " + failure, true))
        .onSuccess(
            flow -> {
              if (over) {
                flow.cancel();
                return;
              }
              flow.handler(
                  data -> {
                    if (over) {
                      return;
                    }
                    keep(next[0] - base, data, ByteOwners.HOME);
                    next[0] += data.length();
                    drain();
                  });
              flow.exceptionHandler(
                  failure ->
                      abandon("repairing a caught neighbor's bytes failed: " + failure, true));
              flow.endHandler(
                  end -> {
                    repairs--;
                    if (next[0] != range.last() + 1) {
                      abandon("the home line ended a repair early", true);
                    } else {
                      drain();
                    }
                  });
              flow.resume();
            });
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
    running.values().forEach(RunningFetch::cancel);
    running.clear();
    if (initialResponse != null) {
      initialResponse.cancel();
    }
    buffer.clear();
    if (pieces != null) {
      pieces.close();
    }
    sources.values().forEach(SourceRun::releaseJob);
    checkJobs.values().forEach(CheckJob::release);
    if (ticket != null) {
      ticket.ended();
    }
  }

  /** Tells the scheduler how far the download is, and whether its client holds it back. */
  private void reportProgress(long now) {
    long received = buffer.written() + buffer.held();
    long written = buffer.written();
    long clientBound = 0;
    if (buffer.held() >= windowBytes / 2 && client.writeQueueFull() && now > reportedAt) {
      // The window is half full and the client is not taking what is ready: it, not the sources,
      // sets the pace. A window full behind a slow range (this download's share of the home line,
      // say) while the client waits for that range is not the client's pace: counted as such, it
      // kept the scheduler from giving the download another line.
      clientBound = Math.max(1, (written - reportedWritten) * 1_000_000_000L / (now - reportedAt));
    }
    reportedAt = now;
    reportedWritten = written;
    ticket.progressed(received, Math.max(0, download.range().length() - received), clientBound);
  }

  /** The session's side of the node's scheduler, run on the session's event loop. */
  private final class Seat implements SlotScheduler.Seat {
    @Override
    public void grant(Neighbor neighbor) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "download {0}: the scheduler grants {1}",
          stats.id(),
          neighbor.name());
      if (over) {
        ticket.notJoined(neighbor, null);
        return;
      }
      offerTo(neighbor);
    }

    @Override
    public void revoke(Neighbor neighbor) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "download {0}: the scheduler moves {1} on",
          stats.id(),
          neighbor.name());
      giveBack(neighbor);
    }

    @Override
    public void revokeCheck(Neighbor neighbor) {
      for (SourceRun source : List.copyOf(sources.values())) {
        if (source.neighbor() == neighbor) {
          endCheckJob(source, "another download waits for its slot");
        }
      }
    }
  }

  /**
   * The scheduler moves {@code neighbor}'s slot to another download: its ranges in flight stop and
   * are planned again elsewhere (bytes already received stay), and its job is released, with the
   * check job this download holds there ({@link #endCheckJob}). Runs on the session's event loop;
   * package-private for tests.
   */
  void giveBack(Neighbor neighbor) {
    for (SourceRun source : List.copyOf(sources.values())) {
      if (source.neighbor() != neighbor) {
        continue;
      }
      if (source.live() && !over) {
        stopFetches(source).forEach(run -> rangeStopped(source, run));
        source.retire();
        apply(planner.sourceFailed(source.id(), System.nanoTime()));
      }
      source.releaseJob();
      endCheckJob(source, "its slot went to another download");
    }
  }

  private SessionReport report() {
    Map<String, Long> bytesBySource = new LinkedHashMap<>();
    planner
        .counters()
        .deliveredBytesBySource()
        .forEach((id, bytes) -> bytesBySource.merge(sources.get(id).name(), bytes, Long::sum));
    return new SessionReport(
        download.range().length(),
        System.nanoTime() - startedNanos,
        bytesBySource,
        planner.counters().hedgedBytes(),
        planner.counters().replannedBytes(),
        buffer.maxHeld());
  }
}
