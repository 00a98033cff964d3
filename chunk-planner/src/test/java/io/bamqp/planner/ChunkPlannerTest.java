package io.bamqp.planner;

import static io.bamqp.planner.PlanHarness.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.planner.Action.Assign;
import io.bamqp.planner.Action.Assign.Purpose;
import io.bamqp.planner.Action.Cancel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {
  static final long MIB = 1L << 20;
  static final long MBIT_20 = 2_500_000L;

  private static List<Assign> assigns(List<Action> actions) {
    return actions.stream().filter(Assign.class::isInstance).map(Assign.class::cast).toList();
  }

  @Test
  void homeLineKeepsItsFlowingResponseFromOffsetZero() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(256 * MIB));

    List<Assign> first = assigns(h.join(ChunkPlanner.HOME_SOURCE, MBIT_20, 30));

    assertThat(first).hasSize(1);
    assertThat(first.get(0).purpose()).isEqualTo(Purpose.INITIAL_RESPONSE);
    assertThat(first.get(0).range().first()).isZero();
    assertThat(first.get(0).range().length()).isLessThan(256 * MIB);
  }

  @Test
  void linesThatJoinBeforeTheHomeWaitForItAndShareTheFirstPlan() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(8 * MIB));
    h.planner.awaitHome();

    assertThat(assigns(h.join(1, MBIT_20, 1200))).isEmpty();
    assertThat(assigns(h.join(2, MBIT_20, 1200))).isEmpty();
    List<Assign> plan = assigns(h.join(ChunkPlanner.HOME_SOURCE, 2 * MBIT_20, 1200));

    assertThat(plan).extracting(Assign::sourceId).containsExactly(0, 1, 2);
    assertThat(plan.get(0).purpose()).isEqualTo(Purpose.INITIAL_RESPONSE);
    assertThat(plan.get(0).range().first()).isZero();
    assertThat(plan.get(0).range().length()).isLessThan(6 * MIB);
    assertThat(plan.get(1).range().first()).isEqualTo(plan.get(0).range().end());
    assertThat(plan.get(2).range().first()).isEqualTo(plan.get(1).range().end());
    assertThatThrownBy(h.planner::awaitHome).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aHomeAloneWithALongRoundTripIsGivenTheWholeSmallFile() {
    // Why awaitHome exists: planned alone first, the home takes all, and a line joining just
    // after it finds nothing left to fetch.
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(8 * MIB));

    List<Assign> first = assigns(h.join(ChunkPlanner.HOME_SOURCE, 2 * MBIT_20, 1200));

    assertThat(first.get(0).range().length()).isEqualTo(8 * MIB);
    assertThat(assigns(h.join(1, MBIT_20, 1200))).isEmpty();
  }

  @Test
  void newRangesFollowEachOtherWithoutGapOrOverlap() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(256 * MIB));
    h.join(0, MBIT_20, 20);
    h.join(1, MBIT_20, 40);
    h.join(2, 2 * MBIT_20, 60);

    List<Assign> all = assigns(h.history);

    assertThat(all).hasSize(3);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).range().first()).isEqualTo(all.get(i - 1).range().end());
    }
  }

  @Test
  void rangesAreSizedByRateSoTheyTakeTheSameTime() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(256 * MIB));
    Assign slow = assigns(h.join(0, MBIT_20 / 2, 20)).get(0);
    Assign fast = assigns(h.join(1, MBIT_20 * 2, 20)).get(0);

    assertThat((double) fast.range().length() / slow.range().length()).isCloseTo(4.0, within(0.01));
  }

  @Test
  void highRttSourceGetsLargerRanges() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(1024 * MIB));
    h.join(0, MBIT_20, 10);
    h.join(1, MBIT_20, 200);
    h.join(2, MBIT_20, 10);

    Assign far = h.liveOn(1).get(0).assign;
    Assign near = h.liveOn(2).get(0).assign;

    assertThat(far.range().length()).isGreaterThan(2 * near.range().length());
  }

  @Test
  void rangeTakenBackGoesToTheSourceThatDeliversItFirst() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(1024 * MIB));
    h.join(0, MBIT_20, 150);
    h.join(1, MBIT_20, 150);
    h.join(2, MBIT_20, 10);
    h.join(3, MBIT_20, 10);
    h.advanceTo(200 * MS);

    List<Assign> replans = assigns(h.fail(3));

    assertThat(replans).extracting(Assign::sourceId).first().isEqualTo(2);
  }

  @Test
  void nothingIsAssignedBeyondTheReorderWindow() {
    PlannerConfig config = PlannerConfig.forFile(256 * MIB).withBufferBytes(4 * MIB);
    PlanHarness h = new PlanHarness(config);
    for (int s = 0; s < 8; s++) {
      h.join(s, 4 * MBIT_20, 10);
    }
    assertThat(h.frontier).isLessThanOrEqualTo(4 * MIB);

    long firstId = h.liveOn(0).get(0).assign.assignmentId();
    h.deliverAll(firstId);
    h.writeToClient();

    assertThat(h.frontier).isGreaterThan(h.liveOn(1).get(0).assign.range().end());
    assertThat(h.frontier).isLessThanOrEqualTo(h.clientPosition + 4 * MIB);
  }

  @Test
  void aWindowThatShrinksStopsNewWorkUntilTheClientHasMadeRoomAndOneThatGrowsResumesIt() {
    PlannerConfig config = PlannerConfig.forFile(256 * MIB).withBufferBytes(16 * MIB);
    PlanHarness h = new PlanHarness(config);
    for (int s = 0; s < 4; s++) {
      h.join(s, 4 * MBIT_20, 10);
    }
    long reachedBefore = h.frontier;
    assertThat(h.planner.aheadBytes()).isEqualTo(reachedBefore);

    assertThat(assigns(h.carryOut(h.planner.windowChanged(2 * MIB, h.now)))).isEmpty();
    h.deliverAll(h.liveOn(0).get(0).assign.assignmentId());
    h.writeToClient();
    h.advanceTo(200 * MS);

    assertThat(h.frontier).isEqualTo(reachedBefore);
    assertThat(h.planner.aheadBytes()).isEqualTo(reachedBefore - h.clientPosition);

    List<Assign> resumed = assigns(h.carryOut(h.planner.windowChanged(64 * MIB, h.now)));

    assertThat(resumed).isNotEmpty();
    assertThat(h.frontier).isGreaterThan(reachedBefore);
    assertThat(h.frontier).isLessThanOrEqualTo(h.clientPosition + 64 * MIB);
    assertThatThrownBy(() -> h.planner.windowChanged(0, h.now))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failedSourceLosesOnlyItsUndeliveredRemainderWhichComesBeforeNewBytes() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(256 * MIB));
    h.join(0, MBIT_20, 20);
    h.join(1, MBIT_20, 20);
    Assign helper = h.liveOn(1).get(0).assign;
    h.advanceTo(100 * MS);
    h.deliver(helper.assignmentId(), 1000);

    List<Action> answer = h.fail(1);

    assertThat(answer.get(0))
        .isEqualTo(new Cancel(helper.assignmentId(), Cancel.Reason.SOURCE_FAILED));
    Assign replan = assigns(answer).get(0);
    assertThat(replan.purpose()).isEqualTo(Purpose.REPLAN);
    assertThat(replan.sourceId()).isZero();
    assertThat(replan.range().first()).isEqualTo(helper.range().first() + 1000);
    assertThat(h.planner.counters().replannedBytes()).isEqualTo(helper.range().length() - 1000);
  }

  @Test
  void helperThatStallsLosesItsRemainderSpreadOverTheOthersTheFastestTakingMost() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(24 * MIB));
    h.join(0, MBIT_20, 20);
    h.join(1, 2 * MBIT_20, 20);
    h.join(2, MBIT_20, 20);
    Assign stalling = h.liveOn(2).get(0).assign;
    h.advanceTo(50 * MS);
    h.deliver(stalling.assignmentId(), 4096);
    while (!h.liveOn(0).isEmpty() || !h.liveOn(1).isEmpty()) {
      for (PlanHarness.Live l : List.copyOf(h.live.values())) {
        if (l.assign.sourceId() != 2) {
          h.deliverAll(l.assign.assignmentId());
        }
      }
    }

    List<Action> quiet = h.advanceTo(50 * MS + PlannerConfig.DEFAULT_STALL_TIMEOUT_NANOS);
    List<Action> stalled = h.advanceTo(51 * MS + PlannerConfig.DEFAULT_STALL_TIMEOUT_NANOS);

    assertThat(quiet).noneMatch(Cancel.class::isInstance);
    assertThat(stalled).contains(new Cancel(stalling.assignmentId(), Cancel.Reason.STALLED));
    List<Assign> replans = assigns(stalled);
    assertThat(replans.get(0).range().first()).isEqualTo(stalling.range().first() + 4096);
    long next = stalling.range().first() + 4096;
    long[] bySource = new long[3];
    for (Assign piece : replans) {
      if (piece.range().first() > stalling.range().last()) {
        break; // ranges that made way for the remainder, planned again after it
      }
      assertThat(piece.range().first()).as("pieces follow each other").isEqualTo(next);
      next = piece.range().last() + 1;
      bySource[piece.sourceId()] += piece.range().length();
    }
    assertThat(next).isEqualTo(stalling.range().last() + 1);
    assertThat(bySource[2]).isZero();
    assertThat(bySource[1]).isGreaterThan(bySource[0]).isPositive();
  }

  @Test
  void silenceWithinTheRoundTripIsNotAStall() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(256 * MIB));
    h.join(0, MBIT_20, 20);
    h.join(1, MBIT_20, 900);

    long id = h.liveOn(1).get(0).assign.assignmentId();
    Cancel stalled = new Cancel(id, Cancel.Reason.STALLED);

    assertThat(h.advanceTo(1_850 * MS)).doesNotContain(stalled);
    assertThat(h.advanceTo(1_950 * MS)).contains(stalled);
  }

  @Test
  void streamThatEndsShortHasItsRemainderPlannedAgain() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(256 * MIB));
    h.join(0, MBIT_20, 20);
    h.join(1, MBIT_20, 20);
    Assign helper = h.liveOn(1).get(0).assign;
    h.advanceTo(30 * MS);
    h.deliver(helper.assignmentId(), 5000);

    List<Assign> again = assigns(h.endShort(helper.assignmentId()));

    assertThat(again.get(0).purpose()).isEqualTo(Purpose.REPLAN);
    assertThat(again.get(0).range())
        .isEqualTo(new ByteRange(helper.range().first() + 5000, helper.range().last()));
  }

  @Test
  void bytesOfACancelledAssignmentAreIgnored() {
    PlanHarness h = new PlanHarness(PlannerConfig.forFile(256 * MIB));
    h.join(0, MBIT_20, 20);
    h.join(1, MBIT_20, 20);
    long gone = h.liveOn(1).get(0).assign.assignmentId();
    h.fail(1);

    assertThat(h.planner.delivered(gone, 100, h.now)).isEmpty();
    assertThat(h.planner.counters().deliveredBy(1)).isZero();
  }

  @Test
  void timeThatGoesBackIsRefused() {
    ChunkPlanner planner = ChunkPlanner.create(PlannerConfig.forFile(MIB));
    planner.tick(10);

    assertThatThrownBy(() -> planner.tick(9)).isInstanceOf(IllegalArgumentException.class);
  }

  private static org.assertj.core.data.Offset<Double> within(double v) {
    return org.assertj.core.data.Offset.offset(v);
  }
}
