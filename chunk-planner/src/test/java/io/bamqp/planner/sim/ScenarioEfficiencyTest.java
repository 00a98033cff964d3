package io.bamqp.planner.sim;

import static io.bamqp.planner.sim.Scenarios.MBIT_10;
import static io.bamqp.planner.sim.Scenarios.MBIT_20;
import static io.bamqp.planner.sim.Scenarios.MBIT_40;
import static io.bamqp.planner.sim.Scenarios.MIB;
import static io.bamqp.planner.sim.Scenarios.equal;
import static io.bamqp.planner.sim.Scenarios.replace;
import static io.bamqp.planner.sim.Scenarios.sources;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner against realistic downloads. Steady scenarios must reach 97% of what a perfect
 * planner could do, scenarios with a death 90%, and none may hold more than the window in its
 * reorder buffer. Each report is printed; the README's table comes from these lines.
 */
class ScenarioEfficiencyTest {
  static final double STEADY = 0.97;
  static final double WITH_A_DEATH = 0.90;

  /** 20, 40, 60, 80 ms: four neighbors at 20 Mbit/s. */
  static final List<SourceModel> FOUR_EQUAL = equal(4, MBIT_20, 20, 80);

  private static SimReport run(Scenario s, double atLeast) {
    SimReport r = Simulator.run(s);
    System.out.println(r);
    assertThat(r.completed()).as(s.name()).isTrue();
    assertThat(r.efficiency()).as(r.toString()).isGreaterThanOrEqualTo(atLeast);
    assertThat(r.maxBufferBytes()).as(s.name()).isLessThanOrEqualTo(s.bufferBytes());
    assertThat(r.backPressurePauses()).as(s.name()).isZero();
    assertThat(r.hedgedBytes()).as(s.name()).isLessThanOrEqualTo(s.fileBytes() / 20);
    return r;
  }

  @Test
  void twoEqualLinesFinishTogether() {
    run(Scenario.of("2 x 20 Mbit/s, 256 MiB", 256 * MIB, equal(2, MBIT_20, 20, 40)), STEADY);
  }

  @Test
  void fourEqualLinesFinishTogether() {
    run(Scenario.of("4 x 20 Mbit/s, 256 MiB", 256 * MIB, FOUR_EQUAL), STEADY);
  }

  @Test
  void linesAtEightFourTwoOneShareByRate() {
    long[] rates = {MBIT_40, MBIT_20, MBIT_10, MBIT_10 / 2};
    run(
        Scenario.of("4 at 8:4:2:1 (40..5 Mbit/s), 256 MiB", 256 * MIB, sources(4, rates, 20, 80)),
        STEADY);
  }

  @Test
  void eightLinesWithRoundTripsFromTenTo200MsHideTheirLatency() {
    run(
        Scenario.of("8 x 20 Mbit/s, RTT 10-200 ms, 512 MiB", 512 * MIB, equal(8, MBIT_20, 10, 200)),
        STEADY);
  }

  @Test
  void eightMixedLinesShareByRate() {
    long[] rates = {MBIT_40, MBIT_10, MBIT_20};
    run(
        Scenario.of(
            "8 mixed 10-40 Mbit/s, RTT 10-200 ms, 512 MiB", 512 * MIB, sources(8, rates, 10, 200)),
        STEADY);
  }

  @Test
  void thirtyTwoEqualLinesStayWithinTheWindow() {
    run(
        Scenario.of(
            "32 x 10 Mbit/s, RTT 10-200 ms, 1 GiB", 1024 * MIB, equal(32, MBIT_10, 10, 200)),
        STEADY);
  }

  @Test
  void thirtyTwoMixedLinesStayWithinTheWindow() {
    long[] rates = {MBIT_40, MBIT_10, MBIT_20};
    run(
        Scenario.of(
            "32 mixed 10-40 Mbit/s, RTT 10-200 ms, 1 GiB", 1024 * MIB, sources(32, rates, 10, 200)),
        STEADY);
  }

  @Test
  void wrongOfferIsCorrectedByMeasurement() {
    List<SourceModel> lines =
        FOUR_EQUAL.stream().map(m -> m.offering(2 * m.bytesPerSec())).toList();
    lines = replace(lines, 3, lines.get(3).offering(MBIT_20 / 4));
    run(Scenario.of("4 x 20 Mbit/s offering 2x or 1/4x, 256 MiB", 256 * MIB, lines), STEADY);
  }

  @Test
  void lineWhoseRateHalvesMidwayIsReplannedAtItsNewRate() {
    long midway = Scenarios.idealNanos(256 * MIB, FOUR_EQUAL) / 2;
    List<SourceModel> lines =
        replace(FOUR_EQUAL, 2, FOUR_EQUAL.get(2).changingRate(midway, MBIT_10));
    run(Scenario.of("4 x 20 Mbit/s, one halves midway, 256 MiB", 256 * MIB, lines), STEADY);
  }

  @Test
  void lineThatCollapsesIsHedgedSoTheClientDoesNotWait() {
    long midway = Scenarios.idealNanos(256 * MIB, FOUR_EQUAL) / 2;
    List<SourceModel> lines =
        replace(FOUR_EQUAL, 2, FOUR_EQUAL.get(2).changingRate(midway, MBIT_10 / 10));
    SimReport r =
        run(Scenario.of("4 x 20 Mbit/s, one drops to 1 Mbit/s, 256 MiB", 256 * MIB, lines), STEADY);

    assertThat(r.hedgedBytes()).isPositive();
  }

  @Test
  void helperThatFailsAtHalfwayLosesOnlyItsRemainder() {
    List<SourceModel> lines = replace(FOUR_EQUAL, 2, FOUR_EQUAL.get(2).failingAt(0.5));
    SimReport r =
        run(
            Scenario.of("4 x 20 Mbit/s, one fails at 50%, 256 MiB", 256 * MIB, lines),
            WITH_A_DEATH);

    assertThat(r.replannedBytes()).isPositive().isLessThan(8 * MIB);
  }

  @Test
  void helperThatGoesSilentAtHalfwayIsDetectedAsStalled() {
    List<SourceModel> lines = replace(FOUR_EQUAL, 2, FOUR_EQUAL.get(2).goingSilentAt(0.5));
    SimReport r =
        run(
            Scenario.of("4 x 20 Mbit/s, one goes silent at 50%, 256 MiB", 256 * MIB, lines),
            WITH_A_DEATH);

    assertThat(r.replannedBytes()).isPositive();
  }

  @Test
  void fastestOfEightFailingAtHalfwayIsAbsorbed() {
    long[] rates = {MBIT_20, MBIT_40, MBIT_10, MBIT_20};
    List<SourceModel> lines = sources(8, rates, 10, 200);
    lines = replace(lines, 1, lines.get(1).failingAt(0.5));
    run(Scenario.of("8 mixed, the fastest fails at 50%, 512 MiB", 512 * MIB, lines), WITH_A_DEATH);
  }

  @Test
  void slowClientIsServedAtItsOwnRate() {
    run(
        Scenario.of("4 x 20 Mbit/s, client reads 48 Mbit/s, 256 MiB", 256 * MIB, FOUR_EQUAL)
            .withClientRate(6_000_000),
        STEADY);
  }

  @Test
  void homeLineAloneIsNotSlowedByPlanning() {
    run(
        Scenario.of("home line alone, 40 Mbit/s, 256 MiB", 256 * MIB, equal(1, MBIT_40, 30, 30)),
        STEADY);
  }

  /**
   * One router with three lines of its own (DSL 16 Mbit/s, LTE 24 Mbit/s, cable 40 Mbit/s: to the
   * planner, sources like any other) plus two neighbors at 20 Mbit/s each, whose ranges travel one
   * LAN hop more.
   */
  static List<SourceModel> threeOwnLinesAndTwoNeighbors() {
    return List.of(
        SourceModel.of(0, 2_000_000, 25 * Scenarios.MS),
        SourceModel.of(1, 3_000_000, 60 * Scenarios.MS),
        SourceModel.of(2, MBIT_40, 15 * Scenarios.MS),
        SourceModel.of(3, MBIT_20, 30 * Scenarios.MS),
        SourceModel.of(4, MBIT_20, 45 * Scenarios.MS));
  }

  @Test
  void routerWithThreeOwnLinesAndTwoNeighborsUsesThemAll() {
    SimReport r =
        run(
            Scenario.of(
                "3 own lines (16/24/40 Mbit/s) + 2 neighbors at 20 Mbit/s, 256 MiB",
                256 * MIB,
                threeOwnLinesAndTwoNeighbors()),
            STEADY);

    for (int source = 0; source < 5; source++) {
      assertThat(r.deliveredBySource().getOrDefault(source, 0L))
          .as("source %d's share", source)
          .isGreaterThan(16 * MIB);
    }
  }

  @Test
  void ownLineThatDiesMidwayIsRepairedByTheOthers() {
    List<SourceModel> lines =
        replace(
            threeOwnLinesAndTwoNeighbors(),
            1,
            threeOwnLinesAndTwoNeighbors().get(1).failingAt(0.5));
    SimReport r =
        run(
            Scenario.of(
                "3 own lines + 2 neighbors, the LTE line dies at 50%, 256 MiB", 256 * MIB, lines),
            WITH_A_DEATH);

    assertThat(r.replannedBytes()).isPositive().isLessThan(8 * MIB);
  }
}
