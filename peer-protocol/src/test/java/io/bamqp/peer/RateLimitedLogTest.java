package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RateLimitedLogTest {
  private static final String NAME = "io.bamqp.test.ratelimited";

  private final Vertx vertx = Vertx.vertx();
  private final Logger jul = Logger.getLogger(NAME);
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  RateLimitedLogTest() {
    jul.addHandler(capture);
  }

  @AfterEach
  void close() {
    jul.removeHandler(capture);
    Await.result(vertx.close());
  }

  @Test
  void aFloodGivesTheFirstLinesThenOneSummaryWhenTheWindowCloses() {
    RateLimitedLog log =
        new RateLimitedLog(
            vertx, System.getLogger(NAME), Level.INFO, "refused things", 2, Duration.ofMillis(300));

    for (int i = 0; i < 10; i++) {
      log.log("refused thing " + i);
    }

    assertThat(lines).containsExactly("refused thing 0", "refused thing 1");
    await("the summary line")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> lines.contains("8 more refused things in the last 300 ms"));
    assertThat(lines).hasSize(3);

    log.log("refused thing 10");

    assertThat(lines).last().isEqualTo("refused thing 10");
  }

  @Test
  void theDefaultWindowIsNamedAMinute() {
    RateLimitedLog log =
        new RateLimitedLog(vertx, System.getLogger(NAME), Level.INFO, "refused handshakes");

    for (int i = 0; i < RateLimitedLog.DEFAULT_BURST + 3; i++) {
      log.log("refused " + i);
    }

    assertThat(lines).hasSize(RateLimitedLog.DEFAULT_BURST);
  }
}
