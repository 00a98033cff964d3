package io.bamqp.testbed;

import static io.bamqp.testbed.OriginClient.await;
import static io.bamqp.testbed.OriginClient.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
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
    origin = await(TestOrigin.builder().build().start(vertx));
  }

  @AfterEach
  void stop() {
    await(origin.close());
    await(vertx.close());
  }

  @Test
  void aClientThatDoesNotReadPausesTheOrigin() {
    try (OriginClient client = new OriginClient(vertx, origin, "127.0.0.11")) {
      OriginClient.Body body = await(client.open(HttpMethod.GET, "/files/1GiB"));
      body.response.pause();

      eventually(vertx, () -> origin.stats("127.0.0.11").writeQueueFull() > 0);
      long before;
      long after = origin.stats("127.0.0.11").bytesSent();
      do { // socket buffers fill for a moment after the first full queue; then the origin waits
        before = after;
        OriginClient.idle(vertx, 200);
        after = origin.stats("127.0.0.11").bytesSent();
      } while (after != before);

      assertThat(origin.writeQueueFullCount()).isPositive();
      assertThat(after).isLessThan(64 * Content.MIB);
      assertThat(body.bytes()).isLessThan(after);
    }
    eventually(vertx, () -> origin.stats("127.0.0.11").openConnections() == 0);
  }

  @Test
  void aPausedClientThatResumesGetsEveryByteInOrder() {
    try (OriginClient client = new OriginClient(vertx, origin)) {
      OriginClient.Body body = await(client.open(HttpMethod.GET, "/files/64MiB"));
      body.response.pause();
      eventually(vertx, () -> origin.writeQueueFullCount() > 0);
      body.response.resume();

      await(body.end());
      assertThat(body.sha256Hex()).isEqualTo(Content.ofSize(64 * Content.MIB).sha256Hex());
    }
  }
}
