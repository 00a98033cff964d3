package io.bamqp.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BackPressureTest {

  private Vertx vertx;
  private TestOrigin origin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    origin = Await.result(TestOrigin.builder().build().start(vertx));
  }

  @AfterEach
  void stop() {
    Await.result(origin.close());
    Await.result(vertx.close());
  }

  @Test
  void aClientThatDoesNotReadPausesTheOrigin() {
    try (OriginClient client = new OriginClient(vertx, origin, "127.0.0.11")) {
      OriginClient.Body body = Await.result(client.open(HttpMethod.GET, "/files/1GiB"));
      body.response.pause();

      await()
          .atMost(Await.DEFAULT_DEADLINE)
          .until(() -> origin.stats("127.0.0.11").writeQueueFull() > 0);
      // Socket buffers fill for a moment after the first full queue; then the origin waits: its
      // count stops moving from one 200 ms look to the next.
      long[] last = {origin.stats("127.0.0.11").bytesSent()};
      long after =
          await()
              .atMost(Await.DEFAULT_DEADLINE)
              .pollDelay(Duration.ofMillis(200))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> {
                    long before = last[0];
                    last[0] = origin.stats("127.0.0.11").bytesSent();
                    return before;
                  },
                  before -> before == last[0]);

      assertThat(origin.writeQueueFullCount()).isPositive();
      assertThat(after).isLessThan(64 * Content.MIB);
      assertThat(body.bytes()).isLessThan(after);
    }
    await()
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> origin.stats("127.0.0.11").openConnections() == 0);
  }

  @Test
  void aPausedClientThatResumesGetsEveryByteInOrder() {
    try (OriginClient client = new OriginClient(vertx, origin)) {
      OriginClient.Body body = Await.result(client.open(HttpMethod.GET, "/files/64MiB"));
      body.response.pause();
      await().atMost(Await.DEFAULT_DEADLINE).until(() -> origin.writeQueueFullCount() > 0);
      body.response.resume();

      Await.result(body.end());
      assertThat(body.sha256Hex()).isEqualTo(Content.ofSize(64 * Content.MIB).sha256Hex());
    }
  }
}
