package io.bamqp.planner.sim;

import io.bamqp.planner.Action;
import io.bamqp.planner.ChunkPlanner;
import io.bamqp.planner.PlannerConfig;
import io.bamqp.planner.PlannerCounters;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives the real {@link ChunkPlanner} against modelled sources and a modelled client, in simulated
 * time, and reports what the download cost.
 *
 * <p>Time advances in steps of {@link #STEP_NANOS}. In each step, rate changes and deaths that are
 * due happen first; then every live source moves the bytes its rate allows (in order within a
 * range, ranges in the order assigned, each new range one RTT late), each delivery reported to the
 * planner at the end of the step; then the client takes what is in order from the reorder buffer,
 * at most its rate; then the planner gets a tick. Every action the planner answers is carried out
 * at once. A source pauses if the reorder buffer is full, which the planner's window should make
 * impossible; {@link SimReport#backPressurePauses()} counts it.
 *
 * <p>Nothing is random: the same scenario always gives the same report.
 */
public final class Simulator implements SimLink.Sink {

  /** Length of one simulated step: 1 ms. */
  public static final long STEP_NANOS = 1_000_000L;

  /** A run gives up, incomplete, after this many times the time a perfect planner needs. */
  public static final int TIME_LIMIT_FACTOR = 10;

  /** T-repair looks this long after a death: 8 s, as the soak does. */
  public static final long REPAIR_HORIZON_NANOS = 8_000_000_000L;

  /** T-repair's target: this share of the surviving sources' sum. */
  public static final double REPAIR_SHARE = 0.9;

  private final Scenario scenario;
  private final ChunkPlanner planner;
  private final Map<Integer, SimLink> links = new LinkedHashMap<>();
  private final Map<Long, SimLink> linkByAssignment = new HashMap<>();
  private final ReorderBuffer buffer;
  private final CapacityTimeline capacity;
  private int assignments;

  /** The client's position at the end of each step, for the repair time. */
  private long[] positions = new long[1 << 14];

  private int steps;
  private long deathAt = -1;
  private double survivorsRate;

  private Simulator(Scenario scenario) {
    this.scenario = scenario;
    this.planner =
        ChunkPlanner.create(
            PlannerConfig.forFile(scenario.fileBytes()).withBufferBytes(scenario.bufferBytes()));
    this.buffer = new ReorderBuffer(scenario.bufferBytes());
    this.capacity = new CapacityTimeline(scenario.clientBytesPerSec());
  }

  /** Runs {@code scenario} to the end (or to the time limit) and reports. */
  public static SimReport run(Scenario scenario) {
    return new Simulator(scenario).run();
  }

  private SimReport run() {
    for (SourceModel m : scenario.sources()) {
      links.put(m.id(), new SimLink(m));
      carryOut(planner.sourceJoined(m.id(), m.offeredBytesPerSec(), m.rttNanos(), 0), 0);
    }
    recordCapacity(0);
    long limit = TIME_LIMIT_FACTOR * capacity.idealNanos(scenario.fileBytes());
    long now = 0;
    double clientCredit = 0;
    while (buffer.position() < scenario.fileBytes() && now < limit) {
      long next = now + STEP_NANOS;
      applyChangesDue(now);
      for (SimLink link : links.values()) {
        link.advance(now, next, this);
      }
      long allowance = Long.MAX_VALUE;
      if (scenario.clientBytesPerSec() != Scenario.UNLIMITED) {
        clientCredit += scenario.clientBytesPerSec() * (STEP_NANOS / 1e9);
        allowance = (long) clientCredit;
      }
      long written = buffer.consume(allowance);
      if (allowance != Long.MAX_VALUE) {
        clientCredit = Math.min(clientCredit - written, 1.0); // a starved client banks no credit
      }
      if (written > 0) {
        carryOut(planner.clientAdvanced(buffer.position(), next), next);
      }
      recordPosition();
      carryOut(planner.tick(next), next);
      now = next;
    }
    return report(now);
  }

  private void applyChangesDue(long now) {
    boolean changed = false;
    for (SimLink link : links.values()) {
      for (SourceModel.RateChange c : link.model.rateChanges()) {
        if (c.atNanos() <= now && c.atNanos() > now - STEP_NANOS) {
          link.bytesPerSec = c.bytesPerSec();
          changed = true;
        }
      }
      SourceModel.Fault fault = link.model.fault();
      if (fault != null
          && !link.dead
          && buffer.position() >= fault.atFraction() * scenario.fileBytes()) {
        link.die(fault.silent());
        changed = true;
        if (deathAt < 0) {
          deathAt = now;
        }
        if (!fault.silent()) {
          carryOut(planner.sourceFailed(link.model.id(), now), now);
        }
      }
    }
    if (changed) {
      recordCapacity(now);
    }
  }

  private void recordCapacity(long now) {
    double sum = 0;
    for (SimLink link : links.values()) {
      sum += link.dead ? 0 : link.bytesPerSec;
    }
    capacity.set(now, sum);
    if (deathAt == now) {
      survivorsRate = Math.min(sum, scenario.clientBytesPerSec());
    }
  }

  private void recordPosition() {
    if (steps == positions.length) {
      positions = java.util.Arrays.copyOf(positions, steps * 2);
    }
    positions[steps++] = buffer.position();
  }

  /**
   * T-repair: from the first death until the bytes written to the client since the death are back
   * at {@link #REPAIR_SHARE} of what the surviving sources' true rates carry in that time (the hole
   * a dead source leaves is filled and the client has caught up); 0 if the client never fell
   * behind, {@link #REPAIR_HORIZON_NANOS} if it had not caught up by then, -1 without a death.
   * Counted from the death rather than over short windows because in-order delivery is bursty by
   * nature: the client follows the lowest range at its source's rate, then takes the ranges behind
   * it at once, so even without a death it falls behind for up to one chunk time (500 ms) and
   * catches up.
   */
  private long repairNanos() {
    if (deathAt < 0) {
      return -1;
    }
    int first = (int) (deathAt / STEP_NANOS);
    int last = (int) Math.min(steps - 1L, first + REPAIR_HORIZON_NANOS / STEP_NANOS);
    long base = first == 0 ? 0 : positions[first - 1];
    double perStep = REPAIR_SHARE * survivorsRate * STEP_NANOS / 1e9;
    boolean behind = false;
    for (int step = first; step <= last; step++) {
      boolean late = positions[step] - base < perStep * (step - first + 1);
      if (behind && !late) {
        return (step - first + 1) * STEP_NANOS;
      }
      behind |= late;
    }
    return behind ? REPAIR_HORIZON_NANOS : 0;
  }

  private void carryOut(List<Action> actions, long now) {
    for (Action action : actions) {
      if (action instanceof Action.Assign assign) {
        SimLink link = links.get(assign.sourceId());
        link.enqueue(assign, now);
        linkByAssignment.put(assign.assignmentId(), link);
        assignments++;
      } else if (action instanceof Action.Cancel cancel) {
        SimLink link = linkByAssignment.remove(cancel.assignmentId());
        if (link != null) {
          link.cancel(cancel.assignmentId(), now);
        }
      }
    }
  }

  @Override
  public long room() {
    return buffer.room();
  }

  @Override
  public void deliver(SimLink.Job job, long offset, long bytes, long at) {
    buffer.receive(offset, bytes);
    long id = job.assign.assignmentId();
    carryOut(planner.delivered(id, bytes, at), at);
    if (job.reported == job.assign.range().length()) {
      linkByAssignment.remove(id);
      carryOut(planner.assignmentCompleted(id, at), at);
    }
  }

  private SimReport report(long now) {
    PlannerCounters counters = planner.counters();
    long pauses = links.values().stream().mapToLong(l -> l.backPressurePauses).sum();
    return new SimReport(
        scenario.name(),
        buffer.position() == scenario.fileBytes(),
        now,
        capacity.idealNanos(scenario.fileBytes()),
        counters.hedgedBytes(),
        counters.replannedBytes(),
        buffer.duplicateBytes(),
        buffer.maxHeld(),
        pauses,
        assignments,
        counters.deliveredBytesBySource(),
        repairNanos());
  }
}
