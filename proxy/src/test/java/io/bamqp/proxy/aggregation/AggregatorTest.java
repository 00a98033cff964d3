package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.aggregation.Eligibility.Verdict;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AggregatorTest {
  private static final String SIGNED = "/f.iso?X-Amz-Signature=abc&X-Amz-Expires=60";

  private final Vertx vertx = Vertx.vertx();
  private final Aggregator aggregator = aggregator(List.of());

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private Aggregator aggregator(List<String> credentialedDomains) {
    Neighbors neighbors = new Neighbors(vertx, (id, address) -> null);
    neighbors.update(Map.of("neighbor", new Neighbors.Address("127.0.0.1", 1)));
    return new Aggregator(
        vertx,
        new AggregationOptions(
            true, 1024, 1 << 20, Duration.ofSeconds(5), credentialedDomains, 0, 1_000_000),
        neighbors);
  }

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static Verdict judge(
      Aggregator aggregator, String pathAndQuery, String redirectedFrom, MultiMap user) {
    MultiMap response =
        headers("Content-Length", "1048576", "Accept-Ranges", "bytes", "ETag", "\"v1\"");
    return aggregator.judge(
        HttpMethod.GET, "cdn.example", pathAndQuery, redirectedFrom, user, 200, response);
  }

  @Test
  void downloadsBeyondTheBufferBudgetStreamThroughWithTheReasonUntilAWindowIsReleased() {
    Neighbors neighbors = new Neighbors(vertx, (id, address) -> null);
    neighbors.update(Map.of("neighbor", new Neighbors.Address("127.0.0.1", 1)));
    long mib = 1 << 20;
    Aggregator small =
        new Aggregator(
            vertx,
            new AggregationOptions(
                true, 1024, 4 * mib, Duration.ofSeconds(5), List.of(), 0, 1_000_000, 5 * mib),
            neighbors);

    Verdict first = judge(small, "/a.iso", null, headers());
    Verdict second = judge(small, "/b.iso", null, headers());
    Verdict third = judge(small, "/c.iso", null, headers());

    assertThat(first.eligible()).isTrue();
    assertThat(second.eligible()).isTrue();
    assertThat(first.window().bytes()).isEqualTo(4 * mib);
    assertThat(second.window().bytes()).isEqualTo(2 * mib);
    assertThat(third.eligible()).isFalse();
    assertThat(third.reason())
        .isEqualTo(
            "buffer budget of 5.0 MiB shared by 2 downloads already (at least 2.0 MiB each):"
                + " streamed through");
    first.window().release();
    assertThat(judge(small, "/d.iso", null, headers()).eligible()).isTrue();
  }

  @Test
  void aSignedUrlTheProxyWasRedirectedToFromACredentialFreeRequestMaySplit() {
    assertThat(judge(aggregator, SIGNED, "/download/f.iso", headers()).eligible()).isTrue();
  }

  @Test
  void aSignedUrlTheUserBroughtStaysHome() {
    Verdict verdict = judge(aggregator, SIGNED, null, headers());

    assertThat(verdict.eligible()).isFalse();
    assertThat(verdict.reason())
        .isEqualTo(
            "the URL looks signed (query parameter 'x-amz-signature') and its domain is not in"
                + " aggregation.credentialedDomains");
  }

  @Test
  void aSignedUrlReachedFromASignedOrCookiedRequestStaysHome() {
    assertThat(judge(aggregator, SIGNED, "/download?token=secret", headers()).eligible()).isFalse();
    assertThat(judge(aggregator, SIGNED, "/download/f.iso", headers("Cookie", "s=1")).reason())
        .startsWith("the request carries a Cookie");
    assertThat(
            judge(aggregator, "/f.iso", "/download/f.iso", headers("Authorization", "Basic x"))
                .reason())
        .startsWith("the request carries Authorization");
  }

  @Test
  void aListedDomainStillSplitsWhateverTheCredential() {
    Aggregator listed = aggregator(List.of("example"));

    assertThat(judge(listed, SIGNED, null, headers("Cookie", "s=1")).eligible()).isTrue();
  }

  @Test
  void anUnsignedUrlIsJudgedOnItsResponseAlone() {
    assertThat(judge(aggregator, "/f.iso", null, headers()).eligible()).isTrue();
    assertThat(judge(aggregator, "/f.iso", "/old/f.iso", headers()).eligible()).isTrue();
  }
}
