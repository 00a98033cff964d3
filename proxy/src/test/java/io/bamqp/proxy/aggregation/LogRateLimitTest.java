package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogRateLimitTest {
  @Test
  void linesOverTheLimitAreCountedAndTheNextWindowsFirstLineSaysHowMany() {
    AtomicLong now = new AtomicLong();
    LogRateLimit limit = new LogRateLimit(2, Duration.ofSeconds(10), now::get);

    assertThat(limit.allow("a")).isZero();
    assertThat(limit.allow("a")).isZero();
    assertThat(limit.allow("a")).isEqualTo(-1);
    assertThat(limit.allow("a")).isEqualTo(-1);
    assertThat(limit.allow("b")).as("another key has its own budget").isZero();

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    long leftOut = limit.allow("a");
    assertThat(leftOut).isEqualTo(2);
    assertThat(LogRateLimit.leftOut(leftOut)).isEqualTo(" (2 similar line(s) left out before)");
    assertThat(limit.allow("a")).isZero();
  }
}
