package io.bamqp.planner;

import static io.bamqp.planner.PlanHarness.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.Action.Assign;
import io.bamqp.planner.Action.Assign.Purpose;
import io.bamqp.planner.Action.Cancel;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailHedgeTest {
  static final long MIB = 1L << 20;

  /** Home at 20 Mbit/s, a fast helper at 80, a slow one at 5; the fast ones deliver at once. */
  private static PlanHarness slowHelperLeftAlone(PlannerConfig config, boolean clientReads) {
    PlanHarness h = new PlanHarness(config);
    h.join(0, 2_500_000, 20);
    h.join(1, 10_000_000, 20);
    h.join(2, 625_000, 20);
    h.advanceTo(50 * MS);
    while (h.live.values().stream().anyMatch(l -> l.assign.sourceId() != 2)) {
      for (PlanHarness.Live l : List.copyOf(h.live.values())) {
        if (l.assign.sourceId() != 2 && h.live.containsKey(l.assign.assignmentId())) {
          h.deliverAll(l.assign.assignmentId());
        }
      }
      if (clientReads) {
        h.writeToClient();
      }
    }
    return h;
  }

  private static List<Assign> hedges(PlanHarness h) {
    return h.history.stream()
        .filter(Assign.class::isInstance)
        .map(Assign.class::cast)
        .filter(a -> a.purpose() == Purpose.HEDGE)
        .toList();
  }

  @Test
  void rangeHoldingTheClientBackIsCopiedToAFasterIdleSourceAndTheLoserCancelled() {
    PlanHarness h = slowHelperLeftAlone(PlannerConfig.forFile(8 * MIB), true);

    List<Assign> hedges = hedges(h);
    assertThat(hedges).isNotEmpty();
    assertThat(hedges).allMatch(a -> a.sourceId() != 2);
    assertThat(h.history)
        .filteredOn(Cancel.class::isInstance)
        .map(a -> ((Cancel) a).reason())
        .contains(Cancel.Reason.HEDGE_LOST);
    long copied = hedges.stream().mapToLong(a -> a.range().length()).sum();
    assertThat(h.planner.counters().hedgedBytes()).isEqualTo(copied);
  }

  @Test
  void hedgedBytesNeverExceedTheCap() {
    PlannerConfig config = PlannerConfig.forFile(8 * MIB).withHedgeCapFraction(0.01);
    PlanHarness h = slowHelperLeftAlone(config, true);

    assertThat(h.planner.counters().hedgedBytes()).isLessThanOrEqualTo(config.hedgeCapBytes());
    assertThat(
            slowHelperLeftAlone(config.withHedgeCapFraction(0), true)
                .planner
                .counters()
                .hedgedBytes())
        .isZero();
  }

  @Test
  void clientThatHasNotCaughtUpIsNotHeldBackSoNothingIsHedged() {
    PlanHarness h = slowHelperLeftAlone(PlannerConfig.forFile(8 * MIB), false);

    assertThat(hedges(h)).isEmpty();
  }
}
