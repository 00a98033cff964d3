package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final EventThrottle throttle = new EventThrottle(3, Duration.ofSeconds(60), now::get);

  @Test
  void theFirstOfAWindowPassAndTheRestAreCountedForTheNextOneThrough() {
    assertThat(throttle.admit("k")).isZero();
    assertThat(throttle.admit("k")).isZero();
    assertThat(throttle.admit("k")).isZero();
    for (int i = 0; i < 7; i++) {
      assertThat(throttle.admit("k")).isEqualTo(-1);
    }
    now.addAndGet(59_999);
    assertThat(throttle.admit("k")).as("still the same window").isEqualTo(-1);

    now.addAndGet(1);

    assertThat(throttle.admit("k")).as("held back before it").isEqualTo(8);
    assertThat(throttle.admit("k")).isZero();
  }

  @Test
  void keysHaveTheirOwnWindowsAndDrainTakesTheCount() {
    for (int i = 0; i < 5; i++) {
      throttle.admit("a");
    }
    assertThat(throttle.admit("b")).isZero();
    assertThat(throttle.millisLeft("a")).isEqualTo(60_000);

    assertThat(throttle.drain("a")).isEqualTo(2);
    assertThat(throttle.drain("a")).isZero();
    assertThat(throttle.drain("unknown")).isZero();
  }

  @Test
  void aFloodOfNewKeysIsHeldBackOnceTheTableIsFull() {
    for (int i = 0; i < EventThrottle.MAX_KEYS; i++) {
      assertThat(throttle.admit("key-" + i)).isZero();
    }
    assertThat(throttle.admit("one-too-many")).isEqualTo(-1);

    now.addAndGet(60_000);

    assertThat(throttle.admit("one-too-many")).as("closed windows are forgotten").isZero();
  }

  @Test
  void theNoteOfALineLetThroughCountsTheLinesHeldBack() {
    assertThat(EventThrottle.heldBackNote(0)).isEmpty();
    assertThat(EventThrottle.heldBackNote(2)).isEqualTo(" (2 similar line(s) left out before)");
  }
}
