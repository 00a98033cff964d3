package io.bamqp.planner.internal;

import io.bamqp.planner.Action.Assign.Purpose;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the planner knows of one source: its rate, its round trip, how long its ranges take to
 * start, and its queue of work.
 */
final class SourceState {

  /** A learned start-up is held to at most this: 1 s, the default stall timeout. */
  static final long MAX_START_NANOS = 1_000_000_000L;

  /** Weight of a new start-up sample once the estimate has settled, as for the rate. */
  static final double START_SMOOTHING = RateEstimator.SMOOTHING;

  /**
   * A first delivery that comes this many times its own transfer time after the source's previous
   * one shows a range that started late, not one the source served right behind the previous.
   */
  static final double START_GAP_FACTOR = 1.5;

  final int id;
  final long rttNanos;
  final RateEstimator rate;

  /**
   * From asking for a range to its first delivery: the round trip the source told at first, then a
   * moving average of what its ranges took. A neighbor's offer answers in a few ms, but each range
   * it fetches waits for the origin's answer and for its first signed chunk to be sent and checked
   * (110-290 ms on bench/cost.sh's test bed).
   */
  private long startNanos;

  private int startSamples = 1; // the told round trip counts as one sample

  /** Live assignments in the order they were issued, which is the order the source serves them. */
  final Deque<Assignment> queue = new ArrayDeque<>();

  long undeliveredBytes;
  long deliveredBytes;
  long lastDeliveryAt = Long.MIN_VALUE;
  boolean retired;

  SourceState(int id, long offeredBytesPerSec, long rttNanos) {
    this.id = id;
    this.rttNanos = rttNanos;
    this.rate = new RateEstimator(offeredBytesPerSec);
    this.startNanos = Math.min(rttNanos, MAX_START_NANOS);
  }

  /** How long a range asked for now takes to deliver its first bytes. */
  long startNanos() {
    return startNanos;
  }

  double bytesPerSec() {
    return rate.bytesPerSec();
  }

  boolean isIdle() {
    return queue.isEmpty();
  }

  /** Estimated time until the source has delivered everything it was asked for. */
  long backlogNanos(long now) {
    return queue.isEmpty()
        ? 0
        : startDelay(queue.peekFirst(), now) + rate.nanosFor(undeliveredBytes);
  }

  /** Estimated time from {@code now} until {@code target}, one of this source's, is complete. */
  long nanosUntilDone(Assignment target, long now) {
    long bytes = 0;
    for (Assignment a : queue) {
      bytes += a.remaining();
      if (a == target) {
        break;
      }
    }
    return startDelay(queue.peekFirst(), now) + rate.nanosFor(bytes);
  }

  /** When work issued now could start flowing: after the backlog, and not before its start-up. */
  long freeAt(long now) {
    return now + Math.max(backlogNanos(now), startNanos);
  }

  /** Records a delivery on {@code a} and feeds the rate and start-up estimates with it. */
  void recordDelivery(Assignment a, long bytes, long now) {
    // Bytes are a continuous transfer if this assignment already flowed, or if it was asked for
    // early enough to start right behind the previous one (a pipelined request).
    boolean continuous = a.delivered > 0 || a.earliestFirstByte() <= lastDeliveryAt;
    if (a.delivered == 0 && a.purpose != Purpose.INITIAL_RESPONSE && showsStart(a, bytes, now)) {
      recordStart(now - a.issuedAt);
    }
    rate.record(bytes, now, continuous);
    a.delivered += bytes;
    undeliveredBytes -= bytes;
    deliveredBytes += bytes;
    lastDeliveryAt = now;
  }

  /**
   * Whether {@code a}'s first delivery, at {@code now}, shows how long the source takes to start a
   * range: only if {@code a} started alone. So it must be the source's oldest live range (an
   * earlier one still flowing shares the line with it and slows its first bytes: learned, that
   * would ask for ranges ever earlier, more of them would overlap, and they would start ever
   * slower), and either the source delivered nothing since {@code a} was asked for, or it paused
   * before this delivery for longer than these bytes took to move. A range served right behind the
   * previous one, with no pause, says nothing about its start-up: it was asked for early enough.
   */
  private boolean showsStart(Assignment a, long bytes, long now) {
    return queue.peekFirst() == a
        && (lastDeliveryAt <= a.issuedAt
            || now - lastDeliveryAt > START_GAP_FACTOR * rate.nanosFor(bytes));
  }

  private void recordStart(long sampleNanos) {
    startSamples++;
    double weight = Math.max(START_SMOOTHING, 1.0 / startSamples);
    long sample = Math.min(sampleNanos, MAX_START_NANOS);
    startNanos += Math.round(weight * (sample - startNanos));
  }

  /**
   * When the source should last have delivered something: its last delivery, or the first byte of
   * its oldest assignment if that has not started. Silence is measured from here.
   */
  long expectedProgressAt() {
    Assignment head = queue.peekFirst();
    if (head == null || head.delivered > 0) {
      return lastDeliveryAt;
    }
    return Math.max(lastDeliveryAt, head.earliestFirstByte());
  }

  private long startDelay(Assignment head, long now) {
    return head.delivered > 0 ? 0 : Math.max(0, head.earliestFirstByte() - now);
  }

  @Override
  public String toString() {
    return "source " + id;
  }
}
