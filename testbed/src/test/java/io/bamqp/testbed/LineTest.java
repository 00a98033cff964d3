package io.bamqp.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LineTest {

  @Test
  void megabitsAreConvertedToBytesPerSecond() {
    assertThat(Line.ofMbps(16).bytesPerSecond()).isEqualTo(2_000_000);
    assertThat(Line.ofMbps(16).isRateLimited()).isTrue();
    assertThat(Line.UNSHAPED.isRateLimited()).isFalse();
  }

  @Test
  void latencyIsAddedWithoutChangingTheRate() {
    Line line = Line.ofRate(1000).withLatency(Duration.ofMillis(30));
    assertThat(line).isEqualTo(new Line(1000, Duration.ofMillis(30)));
  }

  @Test
  void negativeRatesAndLatenciesAreRejected() {
    assertThatThrownBy(() -> Line.ofRate(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Line.UNSHAPED.withLatency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
