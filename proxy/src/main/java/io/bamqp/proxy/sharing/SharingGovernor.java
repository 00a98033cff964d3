package io.bamqp.proxy.sharing;

import io.bamqp.security.PeerId;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Objects;

/**
 * Own clients first: sets the rate of this node's helper from {@link SharingPolicy} and drops it to
 * {@code sharing.yieldFloorMbps} while {@link OwnTraffic} says own clients are busy, restoring it
 * once they are idle; and answers, for every offer and range a neighbor asks for, why not (sharing
 * off, outside the off-peak window, monthly caps from {@link SharingUsage}).
 *
 * <p>Event-driven: the rate changes when the meter changes state or the settings change; the
 * off-peak window and the caps are checked on each request, so no timer is needed. Any thread may
 * call; the last change wins (each change re-reads every input before it sets the helper's rate,
 * and again after).
 */
public final class SharingGovernor implements OwnTraffic.Listener {
  private static final Logger LOG = System.getLogger("io.bamqp.sharing");

  private final SharingUsage usage;
  private final Clock clock;
  private volatile SharingPolicy policy;
  private volatile boolean yielding;
  private volatile HelperControls helper = HelperControls.NONE;

  /**
   * @param lineMbps the own line: {@code wan.lineRateMbps}
   * @param clock the local time zone's clock, for the off-peak window
   */
  public SharingGovernor(SharingOptions sharing, double lineMbps, SharingUsage usage, Clock clock) {
    this.policy = new SharingPolicy(sharing, lineMbps);
    this.usage = Objects.requireNonNull(usage, "usage");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Takes over {@code helper}'s rate, setting it at once. */
  public void attach(HelperControls helper) {
    this.helper = Objects.requireNonNull(helper, "helper");
    apply();
  }

  /** Yields whenever {@code ownTraffic} is busy, from now on (and now, if it is). */
  public void watch(OwnTraffic ownTraffic) {
    ownTraffic.listen(this);
    busyChanged(ownTraffic.busy());
  }

  @Override
  public void busyChanged(boolean busy) {
    if (busy != yielding) {
      yielding = busy;
      LOG.log(
          Level.DEBUG,
          () ->
              String.format(
                  Locale.ROOT,
                  "own clients %s: neighbor fetching at %.1f Mbit/s",
                  busy ? "busy" : "idle",
                  policy.rateMbps(busy)));
      apply();
    }
  }

  /** New sharing settings (the statistics page changed them), applied to the helper at once. */
  public void reconfigure(SharingOptions sharing) {
    policy = new SharingPolicy(sharing, policy.lineMbps());
    helper.updateSharing(sharing.enabled(), sharing.maxRateMbps(), sharing.maxConcurrentJobs());
    apply();
  }

  /**
   * Why {@code peer} may not have {@code bytes} more now, or {@code null}: the helper's {@code
   * SharingGate}. Answers at once from counters.
   */
  public String declineReason(PeerId peer, long bytes) {
    String key = Ledger.key(peer);
    return policy.declineReason(
        key, LocalTime.now(clock), bytes, usage.givenThisMonth(), usage.givenThisMonth(key));
  }

  /** The rate neighbor fetching has now, in Mbit/s. */
  public double rateMbps() {
    return policy.rateMbps(yielding);
  }

  /** Whether neighbor work is held at the floor because own clients are busy. */
  public boolean yielding() {
    return yielding;
  }

  private void apply() {
    HelperControls target;
    long rate;
    do {
      target = helper;
      rate = policy.rateBytesPerSecond(yielding);
      target.limitRate(rate);
    } while (target != helper || rate != policy.rateBytesPerSecond(yielding));
  }
}
