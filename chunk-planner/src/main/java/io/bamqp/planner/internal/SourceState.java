package io.bamqp.planner.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/** What the planner knows of one source: its rate, its round trip and its queue of work. */
final class SourceState {
  final int id;
  final long rttNanos;
  final RateEstimator rate;

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

  /** When work issued now could start flowing: after the backlog, and not before one RTT. */
  long freeAt(long now) {
    return now + Math.max(backlogNanos(now), rttNanos);
  }

  /** Records a delivery on {@code a} and feeds the rate estimate with it. */
  void recordDelivery(Assignment a, long bytes, long now) {
    // Bytes are a continuous transfer if this assignment already flowed, or if it was asked for
    // early enough to start right behind the previous one (a pipelined request).
    boolean continuous = a.delivered > 0 || a.earliestFirstByte() <= lastDeliveryAt;
    rate.record(bytes, now, continuous);
    a.delivered += bytes;
    undeliveredBytes -= bytes;
    deliveredBytes += bytes;
    lastDeliveryAt = now;
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
