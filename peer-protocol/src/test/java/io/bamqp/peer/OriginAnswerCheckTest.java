package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class OriginAnswerCheckTest {
  private static final String TAG = "\"f-100-v0\"";
  private static final RangeFetch FETCH = new RangeFetch("http://a/f", 10, 19, 100, TAG, null);

  @Test
  void theExactRangeWithTheSameTagPasses() {
    assertThat(OriginAnswerCheck.refusal(FETCH, 206, good())).isEmpty();
  }

  @Test
  void aRedirectNamesItsLocation() {
    PeerException refusal = refuse(302, good().add("Location", "http://elsewhere/f"));
    assertThat(refusal.code()).isEqualTo(PeerErrorCode.REDIRECT);
    assertThat(refusal.detail()).contains("http://elsewhere/f");
  }

  @Test
  void everyDeviationHasItsCode() {
    assertThat(refuse(416, good()).code()).isEqualTo(PeerErrorCode.ORIGIN_STATUS);
    assertThat(refuse(200, good()).code()).isEqualTo(PeerErrorCode.RANGE_IGNORED);
    assertThat(refuse(200, good().set("ETag", "\"f-100-v1\"")).code())
        .isEqualTo(PeerErrorCode.VALIDATOR_MISMATCH);
    assertThat(refuse(206, good().set("ETag", "W/" + TAG)).code())
        .isEqualTo(PeerErrorCode.VALIDATOR_MISMATCH);
    assertThat(refuse(206, good().remove("ETag")).code())
        .isEqualTo(PeerErrorCode.VALIDATOR_MISMATCH);
    assertThat(refuse(206, good().set("Content-Range", "bytes 10-19/101")).code())
        .isEqualTo(PeerErrorCode.BAD_CONTENT_RANGE);
    assertThat(refuse(206, good().set("Content-Range", "bytes 11-19/100")).code())
        .isEqualTo(PeerErrorCode.BAD_CONTENT_RANGE);
    assertThat(refuse(206, good().remove("Content-Range")).code())
        .isEqualTo(PeerErrorCode.BAD_CONTENT_RANGE);
    assertThat(refuse(206, good().set("Content-Length", "11")).code())
        .isEqualTo(PeerErrorCode.BAD_CONTENT_RANGE);
    assertThat(refuse(206, good().set("Content-Encoding", "gzip")).code())
        .isEqualTo(PeerErrorCode.ENCODED);
    assertThat(refuse(206, good().set("Content-Type", "multipart/byteranges; boundary=x")).code())
        .isEqualTo(PeerErrorCode.MULTIPART);
  }

  @Test
  void identityCodingIsNoCoding() {
    assertThat(OriginAnswerCheck.refusal(FETCH, 206, good().set("Content-Encoding", "identity")))
        .isEmpty();
  }

  @Test
  void aDateValidatorMatchesTheSameInstantInAnotherSpelling() {
    RangeFetch byDate =
        new RangeFetch("http://a/f", 10, 19, 100, null, "Wed, 1 Jan 2020 00:00:00 GMT");
    MultiMap headers = good().remove("ETag").set("Last-Modified", "Wed, 01 Jan 2020 00:00:00 GMT");

    assertThat(OriginAnswerCheck.refusal(byDate, 206, headers)).isEmpty();
    assertThat(
            OriginAnswerCheck.refusal(
                    byDate, 206, headers.set("Last-Modified", "Thu, 02 Jan 2020 00:00:00 GMT"))
                .orElseThrow()
                .code())
        .isEqualTo(PeerErrorCode.VALIDATOR_MISMATCH);
  }

  private static MultiMap good() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("ETag", TAG)
        .add("Content-Range", "bytes 10-19/100")
        .add("Content-Length", "10")
        .add("Content-Type", "application/octet-stream");
  }

  private static PeerException refuse(int status, MultiMap headers) {
    return OriginAnswerCheck.refusal(FETCH, status, headers).orElseThrow();
  }
}
