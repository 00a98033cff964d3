package io.bamqp.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.Test;

class RateEstimatorTest {
  static final long MS = 1_000_000L;

  private static long flow(RateEstimator e, long bytesPerSec, long from, long millis) {
    e.record(0, from, false);
    long t = from;
    for (int i = 0; i < millis / 10; i++) {
      t += 10 * MS;
      e.record(bytesPerSec / 100, t, true);
    }
    return t;
  }

  @Test
  void offeredRateIsUsedUntilMeasured() {
    assertThat(new RateEstimator(1_000_000).bytesPerSec()).isEqualTo(1_000_000);
  }

  @Test
  void measuredRateReplacesAWrongOfferWithinASecond() {
    RateEstimator e = new RateEstimator(1_000_000);

    flow(e, 4_000_000, 0, 1_000);

    assertThat(e.bytesPerSec()).isCloseTo(4_000_000, withPercentage(5));
  }

  @Test
  void pausesBetweenRangesDoNotLowerTheRate() {
    RateEstimator e = new RateEstimator(2_000_000);
    long t = flow(e, 2_000_000, 0, 500);

    flow(e, 2_000_000, t + 5_000 * MS, 500);

    assertThat(e.bytesPerSec()).isCloseTo(2_000_000, withPercentage(1));
  }

  @Test
  void halvedRateIsFollowed() {
    RateEstimator e = new RateEstimator(2_000_000);
    long t = flow(e, 2_000_000, 0, 1_000);

    flow(e, 1_000_000, t, 1_500);

    assertThat(e.bytesPerSec()).isCloseTo(1_000_000, withPercentage(5));
  }
}
