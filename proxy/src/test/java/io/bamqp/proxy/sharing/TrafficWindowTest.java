package io.bamqp.proxy.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TrafficWindowTest {
  private static final long MS = 1_000_000;
  private static final long THRESHOLD = 256 * 1024;

  /** Threshold 256 KiB/s over 500 ms, idle after 1.5 s; fed every 100 ms like the meter. */
  private final TrafficWindow window = new TrafficWindow(THRESHOLD, 500 * MS, 1500 * MS);

  @Test
  void aTrickleBelowTheThresholdNeverMakesItBusy() {
    for (long t = 100; t <= 5_000; t += 100) {
      assertThat(window.record(THRESHOLD / 20, t * MS)).isFalse(); // half the threshold's rate
    }
  }

  @Test
  void aDownloadMakesItBusyWithinOneTick() {
    assertThat(window.record(300 * 1024, 100 * MS)).isTrue(); // 3 MiB/s for 100 ms
    assertThat(window.bytesPerSecond()).isGreaterThanOrEqualTo(THRESHOLD);
  }

  @Test
  void aShortDipKeepsItBusyAndOnlyALongSilenceMakesItIdle() {
    long t = 0;
    for (; t < 1_000; t += 100) {
      window.record(300 * 1024, t * MS);
    }
    long lastBusy = t - 100;
    assertThat(window.record(0, (t + 600) * MS)).as("600 ms of nothing is a dip").isTrue();
    assertThat(window.record(0, (lastBusy + 1_499) * MS)).isTrue();
    assertThat(window.record(0, (lastBusy + 1_500) * MS)).as("1.5 s below").isFalse();
    assertThat(window.quiet()).isTrue();
  }

  @Test
  void bytesLeaveTheWindowAfterItsLength() {
    window.record(1024 * 1024, 0);
    window.record(0, 499 * MS);
    assertThat(window.bytesPerSecond()).isEqualTo(2 * 1024 * 1024);
    window.record(0, 500 * MS);
    assertThat(window.bytesPerSecond()).isZero();
  }
}
