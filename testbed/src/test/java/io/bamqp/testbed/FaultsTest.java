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
class FaultsTest {

  private static final String FILE = "/files/1MiB";
  private static final Content CONTENT = Content.ofSize(Content.MIB);

  private Vertx vertx;
  private TestOrigin origin;
  private OriginClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    origin = Await.result(TestOrigin.builder().build().start(vertx));
    client = new OriginClient(vertx, origin);
  }

  @AfterEach
  void stop() {
    client.close();
    Await.result(origin.close());
    Await.result(vertx.close());
  }

  @Test
  void ignoringRangeAnswersTheWholeBody() {
    origin.faults().ignoreRange(true);
    OriginClient.Body body = client.get(FILE, "Range", "bytes=10-19");
    assertThat(body.status()).isEqualTo(200);
    assertThat(body.bytes()).isEqualTo(Content.MIB);

    origin.faults().ignoreRange(false);
    assertThat(client.get(FILE, "Range", "bytes=10-19").status()).isEqualTo(206);
  }

  @Test
  void theVersionChangesAfterTheArmedNumberOfBytes() {
    origin.faults().changeVersionAfter(Content.MIB + 100);
    OriginClient.Body first = client.get(FILE);
    assertThat(origin.version()).isZero();
    assertThat(origin.faults().bytesUntilVersionChange()).isEqualTo(100);

    OriginClient.Body second = client.get(FILE);
    assertThat(second.header("ETag")).isEqualTo(first.header("ETag"));
    assertThat(second.sha256Hex()).isEqualTo(CONTENT.sha256Hex());
    assertThat(origin.version()).isEqualTo(1);
    assertThat(origin.faults().bytesUntilVersionChange()).isEqualTo(-1);

    OriginClient.Body third = client.get(FILE);
    assertThat(third.header("ETag")).isEqualTo(CONTENT.atVersion(1).etag());
    assertThat(third.header("ETag")).isNotEqualTo(first.header("ETag"));
    assertThat(third.sha256Hex()).isEqualTo(CONTENT.atVersion(1).sha256Hex());
    assertThat(origin.content(FILE)).isEqualTo(CONTENT.atVersion(1));
  }

  @Test
  void aRangeConditionalOnTheOldVersionGetsTheWholeNewBody() {
    String oldTag = CONTENT.etag();
    origin.faults().changeVersionNow();
    OriginClient.Body body = client.get(FILE, "Range", "bytes=100-199", "If-Range", oldTag);
    assertThat(body.status()).isEqualTo(200);
    assertThat(body.sha256Hex()).isEqualTo(CONTENT.atVersion(1).sha256Hex());
  }

  @Test
  void aResetClosesTheConnectionAfterExactlyThatManyBytes() {
    origin.faults().resetAfter(100_000);
    OriginClient.Body body = Await.result(client.open(HttpMethod.GET, FILE));
    assertThat(body.end().toCompletionStage().toCompletableFuture())
        .failsWithin(Await.DEFAULT_DEADLINE);
    assertThat(body.bytes()).isEqualTo(100_000);
    assertThat(origin.stats("127.0.0.1").bytesSent()).isEqualTo(100_000);
    await()
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> origin.stats("127.0.0.1").openConnections() == 0);

    origin.faults().clear();
    assertThat(client.get(FILE).sha256Hex()).isEqualTo(CONTENT.sha256Hex());
  }

  @Test
  void aShortResponseCompletesDespiteAResetKnob() {
    origin.faults().resetAfter(Content.MIB);
    assertThat(client.get("/files/1000").bytes()).isEqualTo(1000);
  }

  @Test
  void aStallStopsTheBodyButKeepsTheConnectionOpen() {
    origin.faults().stallAfter(100_000);
    OriginClient.Body body = Await.result(client.open(HttpMethod.GET, FILE));
    await().atMost(Await.DEFAULT_DEADLINE).until(() -> body.bytes() == 100_000);

    // What is asserted is an absence: no byte and no end for 300 ms.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> body.bytes() == 100_000 && !body.end().isComplete());
    assertThat(origin.stats("127.0.0.1").openConnections()).isEqualTo(1);

    Await.result(origin.close());
    assertThat(body.end().toCompletionStage().toCompletableFuture())
        .failsWithin(Await.DEFAULT_DEADLINE);
  }

  @Test
  void faultsScopedToOneAddressSpareTheOthers() {
    origin.faults().onlyFor("127.0.0.12").ignoreRange(true);
    try (OriginClient spared = new OriginClient(vertx, origin, "127.0.0.11");
        OriginClient hit = new OriginClient(vertx, origin, "127.0.0.12")) {
      assertThat(spared.get(FILE, "Range", "bytes=0-9").status()).isEqualTo(206);
      assertThat(hit.get(FILE, "Range", "bytes=0-9").status()).isEqualTo(200);
    }
  }
}
