package io.bamqp.planner.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Many downloads through one home (and two homes sharing helpers), on kernel-shaped lines of
 * 36/18/9 Mbit/s with two job slots per helper: the node-wide schedule keeps every line busy (at
 * least 92% of their sum while downloads run) and shares fairly. Each report is printed.
 */
class NodeScenarioTest {
  static final long MB = 1_000_000L;
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;

  /** 36, 18 and 9 Mbit/s. */
  static final long HOME = 4_500_000L;

  static final List<NodeScenario.Helper> TWO_HELPERS =
      List.of(
          new NodeScenario.Helper("peer:b", 2_250_000L, 2),
          new NodeScenario.Helper("peer:c", 1_125_000L, 2));

  static final double AGGREGATE = 0.92;

  private static NodeScenario.Download at(int home, long start, long bytes) {
    return new NodeScenario.Download(home, start, bytes, Scenario.UNLIMITED);
  }

  private static NodeSimulator.Report run(NodeScenario scenario, double atLeast) {
    NodeSimulator.Report r = NodeSimulator.run(scenario);
    System.out.println(r);
    assertThat(r.completed()).as(r.toString()).isTrue();
    assertThat(r.efficiency()).as(r.toString()).isGreaterThanOrEqualTo(atLeast);
    return r;
  }

  private static double spread(List<Long> finish) {
    long max = finish.stream().mapToLong(Long::longValue).max().orElseThrow();
    long min = finish.stream().mapToLong(Long::longValue).min().orElseThrow();
    return (double) max / min;
  }

  @Test
  void oneDownloadAloneUsesEveryLine() {
    run(
        new NodeScenario(
            "1 x 50 MB, 36/18/9", List.of(HOME), TWO_HELPERS, List.of(at(0, 0, 50 * MB)), 100 * MS),
        0.95);
  }

  @Test
  void eightDownloadsStartedTogetherKeepEveryLineBusyAndFinishTogether() {
    List<NodeScenario.Download> eight = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      eight.add(at(0, 0, 50 * MB));
    }
    NodeSimulator.Report r =
        run(
            new NodeScenario(
                "8 x 50 MB at once, 36/18/9", List.of(HOME), TWO_HELPERS, eight, 100 * MS),
            AGGREGATE);
    assertThat(spread(r.finishNanos())).as(r.toString()).isLessThanOrEqualTo(1.25);
  }

  @Test
  void eightDownloadsOnEqualLinesAsInTheKernelBenchFinishTogether() {
    // bench/concurrency.sh's "eight": 50 Mbit/s for home and each helper, 8 x 64 MiB at once.
    long line = 6_250_000L;
    List<NodeScenario.Download> eight = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      eight.add(at(0, 0, 64L << 20));
    }
    NodeSimulator.Report r =
        run(
            new NodeScenario(
                "8 x 64 MiB at once, 50/50/50",
                List.of(line),
                List.of(
                    new NodeScenario.Helper("peer:b", line, 2),
                    new NodeScenario.Helper("peer:c", line, 2)),
                eight,
                200 * MS),
            AGGREGATE);
    assertThat(spread(r.finishNanos())).as(r.toString()).isLessThanOrEqualTo(1.25);
  }

  @Test
  void downloadsStartingAndEndingAtDifferentTimesLeaveNoLineIdle() {
    long[] sizes = {80 * MB, 20 * MB, 50 * MB, 10 * MB, 60 * MB, 30 * MB, 40 * MB, 15 * MB};
    List<NodeScenario.Download> staggered = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      staggered.add(at(0, i * 3 * S, sizes[i]));
    }
    run(
        new NodeScenario(
            "8 staggered 10-80 MB, one every 3 s", List.of(HOME), TWO_HELPERS, staggered, 100 * MS),
        AGGREGATE);
  }

  @Test
  void aSlowClientTakesLessAndTheOthersTakeTheRest() {
    List<NodeScenario.Download> eight = new ArrayList<>();
    eight.add(new NodeScenario.Download(0, 0, 20 * MB, 250_000L));
    for (int i = 1; i < 8; i++) {
      eight.add(at(0, 0, 50 * MB));
    }
    NodeSimulator.Report r =
        run(
            new NodeScenario(
                "8 at once, one client reading 2 Mbit/s",
                List.of(HOME),
                TWO_HELPERS,
                eight,
                100 * MS),
            AGGREGATE);
    // The slow one moves at its client's pace (20 MB at 250 kB/s: 80 s), no faster, no slower.
    assertThat(r.finishNanos().get(0)).as(r.toString()).isBetween(79 * S, 82 * S);
    assertThat(spread(r.finishNanos().subList(1, 8))).as(r.toString()).isLessThanOrEqualTo(1.25);
  }

  @Test
  void twoHomesSharingTwoHelpersEachGetTheirShare() {
    List<NodeScenario.Download> both = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      both.add(at(0, 0, 50 * MB));
      both.add(at(1, 0, 50 * MB));
    }
    NodeSimulator.Report r =
        run(
            new NodeScenario(
                "2 homes x 4 x 50 MB, 2 shared helpers",
                List.of(HOME, HOME),
                TWO_HELPERS,
                both,
                100 * MS),
            AGGREGATE);
    long homeA = 0;
    long homeB = 0;
    for (int i = 0; i < both.size(); i++) {
      long took = r.finishNanos().get(i);
      if (both.get(i).home() == 0) {
        homeA = Math.max(homeA, took);
      } else {
        homeB = Math.max(homeB, took);
      }
    }
    assertThat((double) Math.max(homeA, homeB) / Math.min(homeA, homeB))
        .as(r.toString())
        .isLessThanOrEqualTo(1.15);
  }
}
