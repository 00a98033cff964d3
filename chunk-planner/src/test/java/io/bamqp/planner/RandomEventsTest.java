package io.bamqp.planner;

import static io.bamqp.planner.PlanHarness.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random sessions: partial deliveries in any order across ranges, short streams, failures,
 * stalls and new sources. The harness checks no gap, no duplicate and the window after every
 * answer; at the end every byte must have been written exactly once.
 */
class RandomEventsTest {
  static final long MIB = 1L << 20;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomSessionsKeepEveryInvariantAndFinish(long seed) {
    Random random = new Random(seed);
    PlannerConfig config = PlannerConfig.forFile(16 * MIB).withBufferBytes(2 * MIB);
    PlanHarness h = new PlanHarness(config);
    int nextSource = 0;
    for (; nextSource < 5; nextSource++) {
      h.join(nextSource, 500_000 + random.nextInt(5_000_000), 5 + random.nextInt(200));
    }
    for (int step = 0; step < 4_000 && !h.planner.isComplete(); step++) {
      h.advanceTo(h.now + random.nextInt(20) * MS);
      List<PlanHarness.Live> live = new ArrayList<>(h.live.values());
      int dice = random.nextInt(100);
      if (dice < 60 && !live.isEmpty()) {
        PlanHarness.Live l = live.get(random.nextInt(live.size()));
        long left = l.assign.range().length() - l.delivered;
        h.deliver(l.assign.assignmentId(), 1 + (long) (random.nextDouble() * left));
      } else if (dice < 85) {
        h.writeToClient();
      } else if (dice < 87 && !live.isEmpty()) {
        h.endShort(live.get(random.nextInt(live.size())).assign.assignmentId());
      } else if (dice < 90) {
        h.fail(random.nextInt(nextSource));
        h.join(nextSource++, 500_000 + random.nextInt(5_000_000), 5 + random.nextInt(200));
      }
    }
    for (int round = 0; round < 10_000 && h.clientPosition < config.totalBytes(); round++) {
      if (h.live.isEmpty()) {
        h.join(nextSource++, 2_000_000, 20);
      }
      for (PlanHarness.Live l : List.copyOf(h.live.values())) {
        if (h.live.containsKey(l.assign.assignmentId())) {
          h.deliverAll(l.assign.assignmentId());
        }
      }
      h.writeToClient();
    }

    assertThat(h.clientPosition).isEqualTo(config.totalBytes());
    assertThat(h.planner.isComplete()).isTrue();
    assertThat(h.planner.counters().hedgedBytes()).isLessThanOrEqualTo(config.hedgeCapBytes());
    assertThat(h.duplicateBytes).isLessThanOrEqualTo(h.planner.counters().hedgedBytes());
  }
}
