package io.bamqp.planner.internal;

import io.bamqp.planner.Action;
import io.bamqp.planner.Action.Assign.Purpose;
import io.bamqp.planner.Action.Cancel.Reason;
import io.bamqp.planner.ByteRange;
import io.bamqp.planner.ChunkPlanner;
import io.bamqp.planner.PlannerConfig;
import io.bamqp.planner.PlannerCounters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner. Each event updates the book, then one planning pass runs in a fixed order: stalls
 * are detected, re-planned ranges are handed out, new ranges are handed out at the frontier, and
 * finally the range the client waits on may be hedged.
 */
public final class RangePlanner implements ChunkPlanner {
  private final PlannerConfig config;
  private final ChunkSizing sizing;
  private final Map<Integer, SourceState> sources = new LinkedHashMap<>();
  private final AssignmentBook book = new AssignmentBook();
  private long frontier; // first byte never assigned
  private boolean awaitingHome;
  private long clientPosition;
  private long lastNow = Long.MIN_VALUE;
  private long bufferBytes;

  public RangePlanner(PlannerConfig config) {
    this.config = config;
    this.bufferBytes = config.bufferBytes();
    this.sizing = new ChunkSizing(bufferBytes);
  }

  @Override
  public List<Action> sourceJoined(int sourceId, long offeredBytesPerSec, long rttNanos, long now) {
    if (sources.containsKey(sourceId)) {
      throw new IllegalArgumentException("source " + sourceId + " already joined");
    }
    if (offeredBytesPerSec < 1 || rttNanos < 0) {
      throw new IllegalArgumentException("a source needs a positive rate and a non-negative RTT");
    }
    advanceTime(now);
    sources.put(sourceId, new SourceState(sourceId, offeredBytesPerSec, rttNanos));
    return plan(now, new ArrayList<>());
  }

  @Override
  public void awaitHome() {
    if (!sources.isEmpty()) {
      throw new IllegalStateException("awaitHome() comes before any source joins");
    }
    awaitingHome = true;
  }

  @Override
  public List<Action> delivered(long assignmentId, long bytes, long now) {
    advanceTime(now);
    List<Action> out = new ArrayList<>();
    Assignment a = book.find(assignmentId);
    if (a != null) {
      if (bytes < 0 || bytes > a.remaining()) {
        throw new IllegalArgumentException(
            bytes + " bytes delivered on " + a + " with " + a.remaining() + " left");
      }
      a.source.recordDelivery(a, bytes, now);
      if (a.isDone()) {
        book.complete(a, out);
      }
    }
    return plan(now, out);
  }

  @Override
  public List<Action> assignmentCompleted(long assignmentId, long now) {
    advanceTime(now);
    List<Action> out = new ArrayList<>();
    Assignment a = book.find(assignmentId);
    if (a != null) {
      book.takeBack(a, null, out); // still live, so it ended short
    }
    return plan(now, out);
  }

  @Override
  public List<Action> sourceFailed(int sourceId, long now) {
    advanceTime(now);
    List<Action> out = new ArrayList<>();
    SourceState s = sources.get(sourceId);
    if (s != null && !s.retired) {
      retire(s, Reason.SOURCE_FAILED, out);
    }
    return plan(now, out);
  }

  @Override
  public List<Action> clientAdvanced(long position, long now) {
    if (position < clientPosition || position > config.totalBytes()) {
      throw new IllegalArgumentException(
          "client position "
              + position
              + " after "
              + clientPosition
              + " of "
              + config.totalBytes());
    }
    advanceTime(now);
    clientPosition = position;
    return plan(now, new ArrayList<>());
  }

  @Override
  public List<Action> tick(long now) {
    advanceTime(now);
    return plan(now, new ArrayList<>());
  }

  @Override
  public List<Action> windowChanged(long bytes, long now) {
    if (bytes < 1) {
      throw new IllegalArgumentException("a reorder window of " + bytes + " bytes");
    }
    advanceTime(now);
    bufferBytes = bytes;
    sizing.resize(bytes);
    return plan(now, new ArrayList<>());
  }

  @Override
  public long aheadBytes() {
    return frontier - clientPosition;
  }

  @Override
  public long clientPosition() {
    return clientPosition;
  }

  @Override
  public boolean isComplete() {
    return frontier == config.totalBytes() && book.isEmpty() && book.replan.isEmpty();
  }

  @Override
  public PlannerCounters counters() {
    Map<Integer, Long> delivered = new HashMap<>();
    sources.values().forEach(s -> delivered.put(s.id, s.deliveredBytes));
    return new PlannerCounters(book.hedgedBytes, book.replannedBytes, delivered);
  }

  private void advanceTime(long now) {
    if (now < lastNow) {
      throw new IllegalArgumentException("time went back from " + lastNow + " to " + now);
    }
    lastNow = now;
  }

  private List<Action> plan(long now, List<Action> out) {
    detectStalls(now, out);
    List<SourceState> active = new ArrayList<>(sources.size());
    for (SourceState s : sources.values()) {
      if (!s.retired) {
        active.add(s);
      }
    }
    if (!active.isEmpty()) {
      assignReplans(active, now, out);
      assignFrontier(active, now, out);
      hedgeTail(active, now, out);
    }
    return out;
  }

  private void detectStalls(long now, List<Action> out) {
    for (SourceState s : sources.values()) {
      if (!s.retired && !s.isIdle() && now - s.expectedProgressAt() > config.stallTimeoutNanos()) {
        retire(s, Reason.STALLED, out);
      }
    }
  }

  private void retire(SourceState s, Reason reason, List<Action> out) {
    s.retired = true;
    for (Assignment a : new ArrayList<>(s.queue)) {
      book.takeBack(a, reason, out);
    }
  }

  /**
   * Taken-back ranges come first: the lowest is spread over every source ({@link #spreadUrgent}),
   * the rest go piece by piece to the source that would finish each soonest.
   */
  private void assignReplans(List<SourceState> active, long now, List<Action> out) {
    if (!book.replan.isEmpty()) {
      spreadUrgent(active, now, out);
    }
    long capNanos = sizing.windowCapNanos(active);
    while (!book.replan.isEmpty()) {
      long waiting = book.replan.peek().length();
      SourceState best = null;
      long bestSize = 0;
      long bestFinish = Long.MAX_VALUE;
      for (SourceState s : active) {
        long size = Math.min(waiting, sizing.chunkBytes(s, capNanos));
        if (waiting - size < ChunkSizing.MIN_PIECE_BYTES) {
          size = waiting;
        }
        long finish = s.freeAt(now) + s.rate.nanosFor(size);
        if (finish < bestFinish) {
          best = s;
          bestSize = size;
          bestFinish = finish;
        }
      }
      book.issue(best, book.replan.take(bestSize), Purpose.REPLAN, now, out);
    }
  }

  /**
   * The lowest taken-back range (a dead or stalled source's remainder) lies below every new byte,
   * and the client may already wait on it, so it goes ahead of every range not yet started, which
   * yields and is planned again after it, and it is spread over every source by water-filling so
   * that all of them finish it together: a hole left by a dead source is filled in about its length
   * over the survivors' sum, not over one survivor's rate after its backlog (issue 14, T-repair).
   */
  private void spreadUrgent(List<SourceState> active, long now, List<Action> out) {
    for (SourceState s : active) {
      List<Assignment> waiting = new ArrayList<>(s.queue);
      for (int i = waiting.size() - 1; i >= 1; i--) {
        Assignment a = waiting.get(i);
        if (a.delivered == 0 && a.twin == null && a.purpose != Purpose.INITIAL_RESPONSE) {
          book.takeBack(a, Reason.YIELDED, out);
        } else {
          break;
        }
      }
    }
    long urgent = book.replan.peek().length();
    List<SourceState> byFree = new ArrayList<>(active);
    byFree.sort(
        Comparator.<SourceState>comparingLong(s -> s.freeAt(now)).thenComparingInt(s -> s.id));
    long[] shares = new long[byFree.size()];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = (long) Math.ceil(ChunkSizing.fairShare(byFree.get(i), active, urgent, now));
    }
    long left = urgent;
    for (int i = 0; i < shares.length && left > 0; i++) {
      if (shares[i] < ChunkSizing.MIN_PIECE_BYTES && left > ChunkSizing.MIN_PIECE_BYTES) {
        continue;
      }
      long size = Math.min(left, shares[i]);
      if (left - size < ChunkSizing.MIN_PIECE_BYTES) {
        size = left;
      }
      book.issue(byFree.get(i), book.replan.take(size), Purpose.REPLAN, now, out);
      left -= size;
    }
  }

  /** New bytes, lowest offset first, to the sources due for work in the order they become free. */
  private void assignFrontier(List<SourceState> active, long now, List<Action> out) {
    if (awaitingHome && !sources.containsKey(HOME_SOURCE)) {
      return;
    }
    List<SourceState> due = new ArrayList<>();
    for (SourceState s : active) {
      if (s.backlogNanos(now) <= ChunkSizing.leadNanos(s)) {
        due.add(s);
      }
    }
    due.sort(Comparator.<SourceState>comparingLong(s -> s.freeAt(now)).thenComparingInt(s -> s.id));
    for (SourceState s : due) {
      long unassigned = config.totalBytes() - frontier;
      long slack = clientPosition + bufferBytes - frontier;
      if (unassigned == 0 || slack <= 0) {
        return;
      }
      long size = sizing.nextRange(s, active, unassigned, slack, now);
      if (size > 0) {
        Purpose purpose =
            frontier == 0 && s.id == HOME_SOURCE ? Purpose.INITIAL_RESPONSE : Purpose.FETCH;
        book.issue(s, ByteRange.ofLength(frontier, size), purpose, now, out);
        frontier += size;
      }
    }
  }

  /** Hedges the lowest live range when the client has written all of it that arrived. */
  private void hedgeTail(List<SourceState> active, long now, List<Action> out) {
    long budget = config.hedgeCapBytes() - book.hedgedBytes;
    Assignment waitedOn = book.lowest();
    if (budget <= 0 || waitedOn == null || clientPosition < waitedOn.firstMissing()) {
      return;
    }
    SourceState copier = TailHedge.chooseCopier(waitedOn, active, budget, now);
    if (copier != null) {
      book.hedge(waitedOn, copier, now, out);
    }
  }
}
