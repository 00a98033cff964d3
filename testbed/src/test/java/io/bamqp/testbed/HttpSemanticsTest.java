package io.bamqp.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HttpSemanticsTest {

  private static final long SIZE = 3 * Content.MIB + 7;
  private static final String FILE = "/files/" + SIZE;

  private Vertx vertx;
  private TestOrigin origin;
  private OriginClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    origin =
        Await.result(
            TestOrigin.builder().file("/releases/big.iso", 5 * Content.MIB).build().start(vertx));
    client = new OriginClient(vertx, origin);
  }

  @AfterEach
  void stop() {
    client.close();
    Await.result(origin.close());
    Await.result(vertx.close());
  }

  @Test
  void aFileIsServedWholeWithItsDeterministicBytes() {
    OriginClient.Body body = client.get(FILE);

    assertThat(body.status()).isEqualTo(200);
    assertThat(body.header("Content-Length")).isEqualTo(Long.toString(SIZE));
    assertThat(body.bytes()).isEqualTo(SIZE);
    assertThat(body.sha256Hex()).isEqualTo(Content.ofSize(SIZE).sha256Hex());
    assertThat(origin.stats("127.0.0.1").bytesSent()).isEqualTo(SIZE);
  }

  @Test
  void aFileCarriesValidatorsDateAndAcceptRanges() {
    OriginClient.Body body = client.get("/files/1KiB");

    assertThat(body.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(body.header("ETag")).isEqualTo(Content.ofSize(1024).etag());
    assertThat(body.header("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(httpDate(body.header("Last-Modified")).toInstant())
        .isEqualTo(Content.BASE_LAST_MODIFIED);
    assertThat(Duration.between(httpDate(body.header("Date")).toInstant(), Instant.now()))
        .isBetween(Duration.ZERO, Duration.ofMinutes(1));
  }

  @Test
  void sizesTakeBinaryUnits() {
    OriginClient.Body body = client.get("/files/64KiB");
    assertThat(body.bytes()).isEqualTo(64 * 1024);
    assertThat(body.header("ETag")).isEqualTo(client.get("/files/65536").header("ETag"));
  }

  @Test
  void aNamedFileIsServedAtItsPath() {
    OriginClient.Body body = client.get("/releases/big.iso");
    assertThat(body.status()).isEqualTo(200);
    assertThat(body.sha256Hex())
        .isEqualTo(Content.ofPath("/releases/big.iso", 5 * Content.MIB).sha256Hex());
    assertThat(origin.content("/releases/big.iso").etag()).isEqualTo(body.header("ETag"));
  }

  @Test
  void aRedirectAnswersItsStatusWithTheDecodedLocation() {
    OriginClient.Body body = client.get("/redirect/307?to=%2Ffiles%2F1KiB%3Fsig%3D1");

    assertThat(body.status()).isEqualTo(307);
    assertThat(body.header("Location")).isEqualTo("/files/1KiB?sig=1");
    assertThat(client.get("/redirect/200?to=%2F").status()).isEqualTo(404);
    assertThat(client.get("/redirect/302").status()).isEqualTo(404);
  }

  @Test
  void aClosedRangeIsAnsweredWith206AndExactlyThoseBytes() {
    OriginClient.Body body = client.get(FILE, "Range", "bytes=1000-1999999");

    assertThat(body.status()).isEqualTo(206);
    assertThat(body.header("Content-Range")).isEqualTo("bytes 1000-1999999/" + SIZE);
    assertThat(body.header("Content-Length")).isEqualTo("1999000");
    assertThat(body.sha256Hex()).isEqualTo(Content.ofSize(SIZE).sha256Hex(1000, 1_999_000));
  }

  @Test
  void openAndSuffixRangesReachTheEnd() {
    OriginClient.Body open = client.get(FILE, "Range", "bytes=3000000-");
    assertThat(open.status()).isEqualTo(206);
    assertThat(open.header("Content-Range")).isEqualTo("bytes 3000000-" + (SIZE - 1) + "/" + SIZE);
    assertThat(open.sha256Hex())
        .isEqualTo(Content.ofSize(SIZE).sha256Hex(3_000_000, SIZE - 3_000_000));

    OriginClient.Body suffix = client.get(FILE, "Range", "bytes=-100");
    assertThat(suffix.status()).isEqualTo(206);
    assertThat(suffix.header("Content-Range"))
        .isEqualTo("bytes " + (SIZE - 100) + "-" + (SIZE - 1) + "/" + SIZE);
    assertThat(suffix.sha256Hex()).isEqualTo(Content.ofSize(SIZE).sha256Hex(SIZE - 100, 100));
  }

  @Test
  void aRangePastTheEndIsAnswered416WithTheTotal() {
    OriginClient.Body body = client.get(FILE, "Range", "bytes=" + SIZE + "-");
    assertThat(body.status()).isEqualTo(416);
    assertThat(body.header("Content-Range")).isEqualTo("bytes */" + SIZE);
    assertThat(body.bytes()).isZero();
  }

  @Test
  void ifRangeWithTheCurrentETagHonoursTheRange() {
    String etag = Content.ofSize(SIZE).etag();
    OriginClient.Body body = client.get(FILE, "Range", "bytes=10-19", "If-Range", etag);
    assertThat(body.status()).isEqualTo(206);
    assertThat(body.bytes()).isEqualTo(10);
  }

  @Test
  void ifRangeWithAnotherValidatorGetsTheWholeBody() {
    for (String validator :
        new String[] {
          "\"other\"", "W/" + Content.ofSize(SIZE).etag(), "Wed, 01 Jan 2020 00:00:00 GMT"
        }) {
      OriginClient.Body body = client.get(FILE, "Range", "bytes=10-19", "If-Range", validator);
      assertThat(body.status()).as(validator).isEqualTo(200);
      assertThat(body.bytes()).isEqualTo(SIZE);
    }
  }

  @Test
  void multipleRangesAreAnsweredWithTheWholeBody() {
    OriginClient.Body body = client.get(FILE, "Range", "bytes=0-9,20-29");
    assertThat(body.status()).isEqualTo(200);
    assertThat(body.header("Content-Range")).isNull();
    assertThat(body.bytes()).isEqualTo(SIZE);
  }

  @Test
  void headAnswersTheHeadersOfGetWithoutABody() {
    OriginClient.Body body = client.head("/files/5MiB");

    assertThat(body.status()).isEqualTo(200);
    assertThat(body.header("Content-Length")).isEqualTo(Long.toString(5 * Content.MIB));
    assertThat(body.header("ETag")).isEqualTo(Content.ofSize(5 * Content.MIB).etag());
    assertThat(body.header("Accept-Ranges")).isEqualTo("bytes");
    assertThat(body.bytes()).isZero();
    assertThat(origin.bytesSent()).isZero();
  }

  @Test
  void chunkedServesTheSameBytesWithoutContentLength() {
    OriginClient.Body body = client.get("/chunked/300000", "Range", "bytes=0-9");

    assertThat(body.status()).isEqualTo(200);
    assertThat(body.header("Content-Length")).isNull();
    assertThat(body.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
    assertThat(body.header("ETag")).isEqualTo(Content.ofSize(300_000).etag());
    assertThat(body.sha256Hex()).isEqualTo(Content.ofSize(300_000).sha256Hex());
  }

  @Test
  void statusPathsAnswerThatStatusWithoutABody() {
    for (int status : new int[] {204, 304, 404, 503}) {
      OriginClient.Body body = client.get("/status/" + status);
      assertThat(body.status()).isEqualTo(status);
      assertThat(body.bytes()).isZero();
    }
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() {
    assertThat(client.get("/nothing").status()).isEqualTo(404);
    assertThat(client.get("/files/12XB").status()).isEqualTo(404);
    OriginClient.Body post = Await.result(client.open(HttpMethod.POST, FILE));
    Await.result(post.end());
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void requestsAndConnectionsAreCountedPerSourceAddress() {
    client.get("/files/10");
    client.get("/files/20");

    SourceStats stats = origin.stats("127.0.0.1");
    assertThat(stats.requests()).isEqualTo(2);
    // Usually one keep-alive connection; the client may open a second before recycling the first.
    assertThat(stats.connections()).isBetween(1L, 2L);
    assertThat(stats.openConnections()).isEqualTo(stats.connections());
    assertThat(stats.bytesSent()).isEqualTo(30);

    client.close();
    await()
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> origin.stats("127.0.0.1").openConnections() == 0);
    client = new OriginClient(vertx, origin);
  }

  private static ZonedDateTime httpDate(String value) {
    return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
        .withZoneSameInstant(ZoneOffset.UTC);
  }
}
