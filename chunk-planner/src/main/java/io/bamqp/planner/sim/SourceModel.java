package io.bamqp.planner.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A modelled source: a line of {@code bytesPerSec} to the origin with a round trip of {@code
 * rttNanos}. It serves its assignments in order; an assignment's first byte arrives one RTT after
 * it was issued, or right when the previous one ends if that is later (a pipelined request). The
 * home line's initial response is already flowing, so its first byte needs no RTT.
 *
 * @param id the planner's source id; {@code 0} is the home line
 * @param bytesPerSec the true rate at time 0
 * @param rttNanos the round trip for each new range
 * @param offeredBytesPerSec the rate the source tells the planner (its prior), which may be wrong
 * @param rateChanges when the true rate changes, in time order
 * @param fault how the source dies, or {@code null} if it does not
 */
public record SourceModel(
    int id,
    long bytesPerSec,
    long rttNanos,
    long offeredBytesPerSec,
    List<RateChange> rateChanges,
    Fault fault) {

  /** From {@code atNanos} on, the source moves {@code bytesPerSec}. */
  public record RateChange(long atNanos, long bytesPerSec) {}

  /**
   * The source dies once the client has been written {@code atFraction} of the file: it either
   * reports the failure ({@code silent == false}, like a reset connection) or simply stops
   * delivering and leaves the planner to notice the stall.
   */
  public record Fault(double atFraction, boolean silent) {}

  public SourceModel {
    rateChanges = List.copyOf(rateChanges);
  }

  /** A source that offers its true rate, keeps it, and never dies. */
  public static SourceModel of(int id, long bytesPerSec, long rttNanos) {
    return new SourceModel(id, bytesPerSec, rttNanos, bytesPerSec, List.of(), null);
  }

  /** The same source telling the planner {@code offered} instead of its true rate. */
  public SourceModel offering(long offered) {
    return new SourceModel(id, bytesPerSec, rttNanos, offered, rateChanges, fault);
  }

  /** The same source switching to {@code newBytesPerSec} at {@code atNanos}. */
  public SourceModel changingRate(long atNanos, long newBytesPerSec) {
    List<RateChange> changes = new ArrayList<>(rateChanges);
    changes.add(new RateChange(atNanos, newBytesPerSec));
    return new SourceModel(id, bytesPerSec, rttNanos, offeredBytesPerSec, changes, fault);
  }

  /** The same source failing, and saying so, at {@code fraction} of the file. */
  public SourceModel failingAt(double fraction) {
    return new SourceModel(
        id, bytesPerSec, rttNanos, offeredBytesPerSec, rateChanges, new Fault(fraction, false));
  }

  /** The same source going silent, without a word, at {@code fraction} of the file. */
  public SourceModel goingSilentAt(double fraction) {
    return new SourceModel(
        id, bytesPerSec, rttNanos, offeredBytesPerSec, rateChanges, new Fault(fraction, true));
  }
}
