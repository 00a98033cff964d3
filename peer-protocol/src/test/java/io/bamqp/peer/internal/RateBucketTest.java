package io.bamqp.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketLetsTheBurstThroughAtOnce() {
    RateBucket bucket = new RateBucket(1_000_000);

    assertThat(bucket.burstBytes()).isEqualTo(250_000);
    assertThat(bucket.take(bucket.burstBytes(), 0)).isZero();
  }

  @Test
  void aSlowCapStillLetsOneChunkThrough() {
    RateBucket bucket = new RateBucket(10_000);

    assertThat(bucket.burstBytes()).isEqualTo(RateBucket.MIN_BURST_BYTES);
  }

  /**
   * The line delivered a backlog while the helper was held up: with the cap at the line's own rate
   * (a 100% share) a quarter of a second of it is read at once, not only at the cap.
   */
  @Test
  void aBacklogAfterAHoldUpIsReadAtOnce() {
    long cap = 6_250_000; // 50 Mbit/s
    RateBucket bucket = new RateBucket(cap);
    long now = 0;
    for (int i = 0; i < 1000; i++) { // a steady line a little under the cap: 32 KiB per 5.5 ms
      assertThat(bucket.take(32 * 1024, now)).isZero();
      now += 5_500_000;
    }

    // A 100 ms hold-up: the 550 kB the line delivered meanwhile are read in one go.
    now += 100_000_000;
    assertThat(bucket.take(550_000, now)).isZero();
  }

  @Test
  void aLowerCapKeepsNoMoreThanItsOwnBurst() {
    RateBucket bucket = new RateBucket(1_000_000);
    bucket.setRate(100_000);

    assertThat(bucket.take(RateBucket.MIN_BURST_BYTES, 0)).isZero();
    assertThat(bucket.take(1000, 0)).isPositive();
  }

  @Test
  void debtIsPaidAtTheCap() {
    RateBucket bucket = new RateBucket(1_000_000);
    bucket.take(bucket.burstBytes(), 0);

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

    assertThat(bytes).isLessThanOrEqualTo(bucket.burstBytes() + 10 * 1_000_000 + 16 * 1024);
  }

  @Test
  void anIdleBucketSavesNoMoreThanTheBurst() {
    RateBucket bucket = new RateBucket(1_000_000);
    bucket.take(bucket.burstBytes(), 0);

    assertThat(bucket.take(bucket.burstBytes(), 3600 * SECOND)).isZero();
    assertThat(bucket.take(1000, 3600 * SECOND)).isPositive();
  }
}
