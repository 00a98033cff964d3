package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.ByteRange;
import io.bamqp.proxy.aggregation.Eligibility.Verdict;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class EligibilityTest {
  private static final long MIN = 8 << 20;

  private static MultiMap big() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Content-Length", Long.toString(64L << 20))
        .add("Accept-Ranges", "bytes")
        .add("ETag", "\"v1\"")
        .add("Date", "Mon, 23 Nov 2026 10:00:00 GMT");
  }

  private static Verdict judge(MultiMap request, int status, MultiMap response) {
    return Eligibility.judge(HttpMethod.GET, request, status, response, MIN);
  }

  private static MultiMap none() {
    return MultiMap.caseInsensitiveMultiMap();
  }

  @Test
  void aLargeRangeableResponseWithAStrongETagIsEligible() {
    Verdict verdict = judge(none(), 200, big());

    assertThat(verdict.eligible()).isTrue();
    assertThat(verdict.download().range()).isEqualTo(new ByteRange(0, (64L << 20) - 1));
    assertThat(verdict.download().etag()).isEqualTo("\"v1\"");
    assertThat(verdict.download().partial()).isFalse();
  }

  @Test
  void everyReasonToStreamThroughIsNamed() {
    assertThat(Eligibility.judge(HttpMethod.HEAD, none(), 200, big(), MIN).reason())
        .isEqualTo("method HEAD is not GET");
    assertThat(judge(none(), 404, big()).reason()).isEqualTo("status 404");
    assertThat(judge(none(), 200, big().remove("Accept-Ranges")).reason())
        .isEqualTo("origin has no Accept-Ranges: bytes");
    assertThat(judge(none(), 200, big().set("Accept-Ranges", "none")).reason())
        .isEqualTo("origin has no Accept-Ranges: bytes");
    assertThat(judge(none(), 200, big().set("ETag", "W/\"v1\"")).reason()).isEqualTo("weak ETag");
    assertThat(judge(none(), 200, big().set("Content-Length", "1000")).reason())
        .isEqualTo("smaller than aggregation.minBytes");
    assertThat(judge(none(), 200, big().remove("Content-Length")).reason())
        .isEqualTo("the response has no Content-Length");
    assertThat(judge(none(), 200, big().add("Content-Encoding", "gzip")).reason())
        .contains("content coding 'gzip'");
    assertThat(judge(none(), 200, big().remove("ETag")).reason()).contains("no validator");
    assertThat(judge(none(), 200, big().set("ETag", "v1")).reason()).contains("malformed ETag");
  }

  @Test
  void lastModifiedServesOnlyWhenItIsAMinuteOlderThanDate() {
    MultiMap old = big().remove("ETag").add("Last-Modified", "Mon, 23 Nov 2026 09:58:59 GMT");
    MultiMap fresh = big().remove("ETag").add("Last-Modified", "Mon, 23 Nov 2026 09:59:30 GMT");

    assertThat(judge(none(), 200, old).download().lastModified())
        .isEqualTo("Mon, 23 Nov 2026 09:58:59 GMT");
    assertThat(judge(none(), 200, fresh).reason()).contains("too recent");
  }

  @Test
  void theClientsOwnRangeIsAggregatedWhenLargeEnough() {
    MultiMap partial =
        big()
            .set("Content-Length", Long.toString(16L << 20))
            .add("Content-Range", "bytes 1048576-17825791/67108864");

    Verdict verdict = judge(none().add("Range", "bytes=1048576-17825791"), 206, partial);

    assertThat(verdict.download().range()).isEqualTo(new ByteRange(1048576, 17825791));
    assertThat(verdict.download().totalBytes()).isEqualTo(64L << 20);
    assertThat(verdict.download().partial()).isTrue();
    assertThat(judge(none(), 206, big()).reason()).contains("no single Content-Range");
  }

  @Test
  void aContentRangeWithHugeOrBackwardNumbersIsAReasonNotAnException() {
    for (String contentRange :
        List.of(
            "bytes 99999999999999999999-0/0", "bytes 5-3/10", "bytes 0-9/99999999999999999999")) {
      MultiMap partial = big().set("Content-Length", "0").add("Content-Range", contentRange);

      assertThat(judge(none(), 206, partial).reason())
          .as(contentRange)
          .isIn(
              "the 206 has no single Content-Range",
              "the 206's Content-Range does not match its length");
    }
  }
}
