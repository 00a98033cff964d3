package io.bamqp.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bound checks of the fixture's shaping, and latency before the head, measured on the wall clock.
 * Shaping is a cap: a shaped transfer must never run more than 10% above its line; it may fall
 * short on a loaded machine, so the lower bounds (70%) only show the line is not still the old one.
 */
@Tag("timing")
@Timeout(60)
class LineShapingTest {

  private static final String NODE_A = "127.0.0.11";
  private static final String NODE_B = "127.0.0.12";
  private static final long RATE = 2_000_000;

  private Vertx vertx;
  private TestOrigin origin;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    origin =
        Await.result(
            TestOrigin.builder()
                .line(NODE_A, Line.ofRate(RATE))
                .line(NODE_B, Line.ofRate(RATE / 2))
                .build()
                .start(vertx));
  }

  @AfterEach
  void stop() {
    Await.result(origin.close());
    Await.result(vertx.close());
  }

  @Test
  void aLineDeliversBetweenSeventyAndOneHundredTenPercentOfItsRate() {
    try (OriginClient client = new OriginClient(vertx, origin, NODE_A)) {
      OriginClient.Body body = client.get("/files/4MB");

      assertThat(body.sha256Hex()).isEqualTo(Content.ofSize(4_000_000).sha256Hex());
      assertThat(body.rate()).isBetween(RATE * 0.70, RATE * 1.10);
    }
  }

  @Test
  void twoAddressesAreShapedIndependently() {
    try (OriginClient a = new OriginClient(vertx, origin, NODE_A);
        OriginClient b = new OriginClient(vertx, origin, NODE_B)) {
      OriginClient.Body fromA = Await.result(a.open(HttpMethod.GET, "/files/4MB"));
      OriginClient.Body fromB = Await.result(b.open(HttpMethod.GET, "/files/2MB"));
      Await.result(Future.all(fromA.end(), fromB.end()));

      assertThat(fromA.rate()).isBetween(RATE * 0.70, RATE * 1.10);
      assertThat(fromB.rate()).isBetween(RATE / 2 * 0.70, RATE / 2 * 1.10);
      assertThat(origin.stats(NODE_A).bytesSent()).isEqualTo(4_000_000);
      assertThat(origin.stats(NODE_B).bytesSent()).isEqualTo(2_000_000);
    }
  }

  @Test
  void connectionsFromOneAddressShareItsLine() {
    try (OriginClient client = new OriginClient(vertx, origin, NODE_A)) {
      OriginClient.Body first = Await.result(client.open(HttpMethod.GET, "/files/2MB"));
      OriginClient.Body second = Await.result(client.open(HttpMethod.GET, "/files/2MB?again"));
      Await.result(Future.all(first.end(), second.end()));

      assertThat(origin.stats(NODE_A).connections()).isEqualTo(2);
      double seconds = (Math.max(first.endNanos(), second.endNanos()) - first.headNanos()) / 1e9;
      assertThat(4_000_000 / seconds).isBetween(RATE * 0.70, RATE * 1.10);
    }
  }

  @Test
  void anAddressWithoutALineIsUnshaped() {
    try (OriginClient client = new OriginClient(vertx, origin)) {
      OriginClient.Body body = client.get("/files/8MB");
      assertThat(body.rate()).isGreaterThan(RATE * 5);
    }
  }

  @Test
  void aDefaultLineShapesEveryOtherAddressOnItsOwnBucket() {
    TestOrigin shaped =
        Await.result(TestOrigin.builder().defaultLine(Line.ofRate(RATE)).build().start(vertx));
    try (OriginClient client = new OriginClient(vertx, shaped, "127.0.0.13")) {
      OriginClient.Body body = client.get("/files/2MB");
      assertThat(body.rate()).isBetween(RATE * 0.70, RATE * 1.10);
    } finally {
      Await.result(shaped.close());
    }
  }

  @Test
  void latencyDelaysTheResponseHead() {
    origin.setLine(NODE_A, Line.UNSHAPED.withLatency(Duration.ofMillis(200)));
    try (OriginClient client = new OriginClient(vertx, origin, NODE_A)) {
      OriginClient.Body body = client.get("/files/1KiB");
      assertThat(body.millisToHead()).isBetween(200L, 2_000L);
      assertThat(origin.lineFor(NODE_A).latency()).isEqualTo(Duration.ofMillis(200));
    }
  }

  @Test
  void aLineChangedAtRuntimeAppliesToTheNextChunks() {
    origin.setLine(NODE_A, Line.ofRate(RATE * 2));
    try (OriginClient client = new OriginClient(vertx, origin, NODE_A)) {
      OriginClient.Body body = client.get("/files/4MB");
      assertThat(body.rate()).isBetween(RATE * 2 * 0.70, RATE * 2 * 1.10);
    }
    origin.removeLine(NODE_A);
    assertThat(origin.lineFor(NODE_A)).isEqualTo(Line.UNSHAPED);
  }
}
