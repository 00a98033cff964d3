package io.bamqp.planner.internal;

import java.util.List;

/**
 * Whether to duplicate the range the client is waiting on, and where. A copy is worth it when an
 * idle source, round trip included, would deliver the remainder in at most {@link #GAIN_RATIO} of
 * the time the original source still needs, and at least {@link #MIN_GAIN_NANOS} sooner.
 */
final class TailHedge {

  /** The copy must need at most this share of the original's remaining time. */
  static final double GAIN_RATIO = 0.75;

  /** And save at least this much time: 100 ms. */
  static final long MIN_GAIN_NANOS = 100_000_000L;

  private TailHedge() {}

  /**
   * The idle source that should fetch a copy of {@code waitedOn}'s remainder, or {@code null}.
   *
   * @param budget hedge bytes still allowed
   */
  static SourceState chooseCopier(
      Assignment waitedOn, List<SourceState> active, long budget, long now) {
    long remaining = waitedOn.range.last() - waitedOn.firstMissing() + 1;
    if (waitedOn.twin != null || remaining > budget) {
      return null;
    }
    long original = waitedOn.source.nanosUntilDone(waitedOn, now);
    SourceState best = null;
    long bestNanos = Long.MAX_VALUE;
    for (SourceState s : active) {
      if (s == waitedOn.source || !s.isIdle()) {
        continue;
      }
      long nanos = s.rttNanos + s.rate.nanosFor(remaining);
      if (nanos < bestNanos) {
        best = s;
        bestNanos = nanos;
      }
    }
    boolean worthIt =
        best != null
            && bestNanos <= GAIN_RATIO * original
            && original - bestNanos >= MIN_GAIN_NANOS;
    return worthIt ? best : null;
  }
}
