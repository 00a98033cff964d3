package io.bamqp.proxy.sharing;

import java.time.LocalTime;
import java.util.Objects;

/**
 * What the owner agreed to give neighbors, as arithmetic: the rate neighbor fetching gets, and why
 * a peer is turned away. Pure: the time of day, the own line and what was given this month are
 * passed in.
 *
 * <p>The rate is the least of {@code sharing.maxRateMbps} and {@code sharing.sharePercent} of the
 * own line, and {@code sharing.yieldFloorMbps} (if lower) while the node's own clients are busy.
 * Caps are checked against what was already given plus what is asked: the helper asks again before
 * every origin read it relays, so a range is cut where it would pass a cap (or where the off-peak
 * window closes); a cap is overshot by at most one read per other range in flight at that moment.
 */
public record SharingPolicy(SharingOptions sharing, double lineMbps) {

  public SharingPolicy {
    Objects.requireNonNull(sharing, "sharing");
    if (!(lineMbps > 0)) {
      throw new IllegalArgumentException("lineMbps must be positive: " + lineMbps);
    }
  }

  /** The rate neighbor fetching gets, in Mbit/s; the floor while {@code yielding}. */
  public double rateMbps(boolean yielding) {
    double rate = sharing.rateMbps(lineMbps);
    return yielding ? Math.min(rate, sharing.yieldFloorMbps()) : rate;
  }

  /** {@link #rateMbps} in bytes per second ({@code Mbit/s * 125 000}), at least 1. */
  public long rateBytesPerSecond(boolean yielding) {
    return Math.max(1, Math.round(rateMbps(yielding) * 125_000));
  }

  /**
   * Why {@code peer} may not have {@code bytes} more now, or {@code null} to allow.
   *
   * @param peer the peer's ID as text, for the message
   * @param bytes bytes asked for, {@code >= 0}
   * @param time the local time of day, for {@code sharing.offPeak}
   * @param givenThisMonth bytes already given to all peers this month
   * @param givenToPeerThisMonth bytes already given to {@code peer} this month
   */
  public String declineReason(
      String peer, LocalTime time, long bytes, long givenThisMonth, long givenToPeerThisMonth) {
    if (!sharing.enabled()) {
      return "sharing is off";
    }
    if (!sharing.offPeak().contains(time)) {
      return "outside the off-peak window " + sharing.offPeak();
    }
    if (sharing.monthlyCap() != null
        && passes(givenThisMonth, bytes, sharing.monthlyCap().bytes())) {
      return "monthly cap of " + sharing.monthlyCap() + " reached";
    }
    if (sharing.peerMonthlyCap() != null
        && passes(givenToPeerThisMonth, bytes, sharing.peerMonthlyCap().bytes())) {
      return "peer " + peer + "'s monthly cap of " + sharing.peerMonthlyCap() + " reached";
    }
    return null;
  }

  /** Whether {@code given + bytes} passes {@code cap}, without overflow. */
  private static boolean passes(long given, long bytes, long cap) {
    return given >= cap || bytes > cap - given;
  }
}
