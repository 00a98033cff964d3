package io.bamqp.planner;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.Action.Assign;
import io.bamqp.planner.Action.Assign.Purpose;
import io.bamqp.planner.Action.Cancel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plays a download session around a real planner: carries out its actions, keeps what arrived, and
 * checks the plan's invariants after every answer. No gap: while any source works, every byte below
 * the frontier is written, held, or live on some assignment. No duplicate: a range that is not a
 * hedge never covers a byte that already arrived or that another live range covers. Window: no byte
 * at or past client position + bufferBytes is assigned.
 */
final class PlanHarness {
  static final long MS = 1_000_000L;

  /** A live assignment as the session sees it. */
  static final class Live {
    final Assign assign;
    long delivered;

    Live(Assign assign) {
      this.assign = assign;
    }

    long next() {
      return assign.range().first() + delivered;
    }
  }

  final PlannerConfig config;
  final ChunkPlanner planner;
  final Map<Long, Live> live = new LinkedHashMap<>();
  final List<Action> history = new ArrayList<>();
  private final TreeMap<Long, Long> received = new TreeMap<>(); // [start, end), merged
  long now;
  long clientPosition;
  long frontier;
  long duplicateBytes;

  PlanHarness(PlannerConfig config) {
    this.config = config;
    this.planner = ChunkPlanner.create(config);
  }

  List<Action> join(int source, long bytesPerSec, long rttMs) {
    return carryOut(planner.sourceJoined(source, bytesPerSec, rttMs * MS, now));
  }

  List<Action> deliver(long assignmentId, long bytes) {
    Live l = live.get(assignmentId);
    receive(l.next(), bytes);
    l.delivered += bytes;
    if (l.delivered == l.assign.range().length()) {
      live.remove(assignmentId);
    }
    return carryOut(planner.delivered(assignmentId, bytes, now));
  }

  List<Action> deliverAll(long assignmentId) {
    Live l = live.get(assignmentId);
    return deliver(assignmentId, l.assign.range().length() - l.delivered);
  }

  List<Action> endShort(long assignmentId) {
    live.remove(assignmentId);
    return carryOut(planner.assignmentCompleted(assignmentId, now));
  }

  List<Action> fail(int source) {
    return carryOut(planner.sourceFailed(source, now));
  }

  /** The client takes every in-order byte that arrived. */
  List<Action> writeToClient() {
    Map.Entry<Long, Long> run = received.floorEntry(clientPosition);
    if (run != null && run.getValue() > clientPosition) {
      clientPosition = run.getValue();
    }
    return carryOut(planner.clientAdvanced(clientPosition, now));
  }

  List<Action> advanceTo(long nanos) {
    now = nanos;
    return carryOut(planner.tick(now));
  }

  /** Live assignments of {@code source}, oldest first. */
  List<Live> liveOn(int source) {
    return live.values().stream().filter(l -> l.assign.sourceId() == source).toList();
  }

  List<Action> carryOut(List<Action> actions) {
    for (Action a : actions) {
      history.add(a);
      if (a instanceof Assign assign) {
        checkAssign(assign);
        live.put(assign.assignmentId(), new Live(assign));
        frontier = Math.max(frontier, assign.range().end());
      } else if (a instanceof Cancel cancel) {
        assertThat(live).as("cancelled assignment is live").containsKey(cancel.assignmentId());
        live.remove(cancel.assignmentId());
      }
    }
    checkNoGap();
    return actions;
  }

  private void checkAssign(Assign assign) {
    ByteRange r = assign.range();
    assertThat(r.last())
        .as("window bound for " + assign)
        .isLessThan(clientPosition + config.bufferBytes());
    assertThat(r.last()).isLessThan(config.totalBytes());
    if (assign.purpose() == Purpose.HEDGE) {
      assertThat(live.values())
          .as("a hedge copies part of a live range")
          .anyMatch(
              l -> l.assign.range().contains(r.first()) && l.assign.range().last() == r.last());
      return;
    }
    for (Live l : live.values()) {
      boolean overlaps = l.next() <= r.last() && r.first() <= l.assign.range().last();
      assertThat(overlaps).as(assign + " overlaps live " + l.assign).isFalse();
    }
    Map.Entry<Long, Long> below = received.floorEntry(r.last());
    boolean holdsReceived = below != null && below.getValue() > r.first();
    assertThat(holdsReceived || r.first() < clientPosition)
        .as(assign + " asks again for bytes that arrived")
        .isFalse();
  }

  private void checkNoGap() {
    if (live.isEmpty()) {
      return; // no source left: taken-back ranges wait in the planner for the next one to join
    }
    List<long[]> spans = new ArrayList<>();
    received.forEach((s, e) -> spans.add(new long[] {s, e}));
    live.values().forEach(l -> spans.add(new long[] {l.next(), l.assign.range().end()}));
    spans.sort((x, y) -> Long.compare(x[0], y[0]));
    long covered = clientPosition;
    for (long[] span : spans) {
      if (span[1] <= covered) {
        continue;
      }
      assertThat(span[0])
          .as("gap at " + covered + " below frontier " + frontier)
          .isLessThanOrEqualTo(covered);
      covered = span[1];
    }
    assertThat(covered)
        .as("every byte below the frontier is accounted for")
        .isGreaterThanOrEqualTo(frontier);
  }

  private void receive(long first, long length) {
    long end = first + length;
    for (long cursor = Math.max(first, clientPosition); cursor < end; ) {
      Map.Entry<Long, Long> below = received.floorEntry(cursor);
      Map.Entry<Long, Long> above = received.higherEntry(cursor);
      if (below != null && below.getValue() > cursor) {
        long skip = Math.min(end, below.getValue()) - cursor;
        duplicateBytes += skip;
        cursor += skip;
        continue;
      }
      long stop = above == null ? end : Math.min(end, above.getKey());
      long start = below != null && below.getValue() == cursor ? below.getKey() : cursor;
      Long aboveEnd = received.remove(stop);
      received.put(start, aboveEnd == null ? stop : aboveEnd);
      cursor = stop;
    }
    duplicateBytes += Math.max(0, Math.min(end, clientPosition) - first);
    assertThat(duplicateBytes)
        .as("only hedged ranges arrive twice")
        .isLessThanOrEqualTo(planner.counters().hedgedBytes());
  }
}
