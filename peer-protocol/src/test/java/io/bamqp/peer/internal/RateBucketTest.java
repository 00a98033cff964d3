package io.bamqp.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketLetsTheBurstThroughAtOnce() {
    RateBucket bucket = new RateBucket(1_000_000);

    assertThat(bucket.take(RateBucket.BURST_BYTES, 0)).isZero();
  }

  @Test
  void debtIsPaidAtTheCap() {
    RateBucket bucket = new RateBucket(1_000_000);
    bucket.take(RateBucket.BURST_BYTES, 0);

    assertThat(bucket.take(500_000, 0)).isEqualTo(SECOND / 2);
    assertThat(bucket.take(500_000, SECOND / 2)).isEqualTo(SECOND / 2);
  }

  @Test
  void overAnySpanAtMostTheBurstPlusTheRateGoesThrough() {
    RateBucket bucket = new RateBucket(1_000_000);
    long now = 0;
    long bytes = 0;
    while (now < 10 * SECOND) {
      bytes += 16 * 1024;
      now += bucket.take(16 * 1024, now);
    }

    assertThat(bytes).isLessThanOrEqualTo(RateBucket.BURST_BYTES + 10 * 1_000_000 + 16 * 1024);
  }

  @Test
  void anIdleBucketSavesNoMoreThanTheBurst() {
    RateBucket bucket = new RateBucket(1_000_000);
    bucket.take(RateBucket.BURST_BYTES, 0);

    assertThat(bucket.take(RateBucket.BURST_BYTES, 3600 * SECOND)).isZero();
    assertThat(bucket.take(1000, 3600 * SECOND)).isPositive();
  }
}
