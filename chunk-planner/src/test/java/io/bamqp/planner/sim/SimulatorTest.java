package io.bamqp.planner.sim;

import static io.bamqp.planner.sim.Scenarios.MBIT_20;
import static io.bamqp.planner.sim.Scenarios.MBIT_40;
import static io.bamqp.planner.sim.Scenarios.MIB;
import static io.bamqp.planner.sim.Scenarios.equal;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimulatorTest {

  @Test
  void sameScenarioGivesTheSameReport() {
    Scenario s =
        Scenario.of("repeat", 64 * MIB, equal(4, MBIT_20, 10, 120)).withClientRate(7_000_000);

    assertThat(Simulator.run(s)).isEqualTo(Simulator.run(s));
  }

  @Test
  void reorderBufferNeverHoldsMoreThanTheWindowWhateverTheMixOfSpeeds() {
    Scenario s =
        Scenario.of(
                "small window",
                128 * MIB,
                Scenarios.sources(8, new long[] {MBIT_40, MBIT_40 / 8}, 10, 200))
            .withBufferBytes(8 * MIB);

    SimReport r = Simulator.run(s);

    assertThat(r.completed()).isTrue();
    assertThat(r.maxBufferBytes()).isLessThanOrEqualTo(8 * MIB);
    assertThat(r.backPressurePauses()).isZero();
  }

  @Test
  void slowClientBackPressuresTheSourcesThroughTheWindow() {
    Scenario s =
        Scenario.of("slow client", 64 * MIB, equal(4, MBIT_40, 10, 50)).withClientRate(2_000_000);

    SimReport r = Simulator.run(s);

    assertThat(r.maxBufferBytes()).isLessThanOrEqualTo(s.bufferBytes());
    assertThat(r.maxBufferBytes()).isGreaterThan(s.bufferBytes() / 2);
    assertThat(r.backPressurePauses()).isZero();
    assertThat(r.hedgedBytes()).isZero();
  }
}
