package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.peer.internal.Json;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class MessagesTest {

  @Test
  void everyMessageSurvivesARoundTripAsJson() throws PeerException {
    JobOffer offer = new JobOffer("j-7f3a", 268_435_456, 20_000);
    JobAnswer answer = JobAnswer.decline("busy: 2 of 2 jobs");
    RangeFetch fetch =
        new RangeFetch("http://mirror.example/big.iso", 0, 1_048_575, 268_435_456, "\"v1\"", null);
    PeerError error = new PeerError("BUSY", "later");

    assertThat(roundTrip(offer, JobOffer.class)).isEqualTo(offer);
    assertThat(roundTrip(answer, JobAnswer.class)).isEqualTo(answer);
    assertThat(roundTrip(fetch, RangeFetch.class)).isEqualTo(fetch);
    assertThat(roundTrip(error, PeerError.class)).isEqualTo(error);
  }

  @Test
  void anAnswerWithoutQueueFieldsIsWrittenAndReadAsOlderNodesDo() throws PeerException {
    String old = "{\"accepted\":false,\"rateBytesPerSec\":0,\"reason\":\"busy: 2 of 2 jobs\"}";
    JobAnswer queued = JobAnswer.decline("busy: 2 of 2 jobs").withSlots(1).queued(2, 500);

    assertThat(Json.encode(JobAnswer.decline("busy: 2 of 2 jobs")).toString()).isEqualTo(old);
    assertThat(Json.encode(queued.withoutQueueFields()).toString()).isEqualTo(old);
    assertThat(Json.decode(Buffer.buffer(old), JobAnswer.class, PeerErrorCode.BAD_ANSWER))
        .isEqualTo(JobAnswer.decline("busy: 2 of 2 jobs"));
    assertThat(roundTrip(queued, JobAnswer.class)).isEqualTo(queued);
    assertThat(Json.encode(queued).toString())
        .isEqualTo(
            "{\"accepted\":false,\"rateBytesPerSec\":0,\"reason\":\"busy: 2 of 2 jobs\","
                + "\"slots\":1,\"queuePosition\":2,\"retryAfterMillis\":500}");
    assertThatThrownBy(() -> JobAnswer.accept(1).queued(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyTheRecordsComponentsAreWritten() {
    RangeFetch fetch = new RangeFetch("http://a.example/f", 1, 2, 10, null, "Wed, 01 Jan 2020");

    assertThat(Json.encode(fetch).toString())
        .isEqualTo(
            "{\"url\":\"http://a.example/f\",\"first\":1,\"last\":2,\"totalBytes\":10,"
                + "\"etag\":null,\"lastModified\":\"Wed, 01 Jan 2020\"}");
  }

  @Test
  void anUnknownFieldIsRefusedByName() {
    assertThat(refusal("{\"jobId\":\"a\",\"sizeBytes\":1,\"expectedMillis\":0,\"url\":\"x\"}"))
        .isEqualTo("unknown field 'url' in JobOffer");
  }

  @Test
  void aMissingRequiredFieldIsRefusedByName() {
    assertThat(refusal("{\"jobId\":\"a\",\"expectedMillis\":0}")).contains("'sizeBytes'");
  }

  @Test
  void aStringWhereANumberBelongsIsRefused() {
    assertThat(refusal("{\"jobId\":\"a\",\"sizeBytes\":\"100\",\"expectedMillis\":0}"))
        .startsWith("bad JobOffer");
  }

  @Test
  void malformedJsonAndTrailingGarbageAreRefused() {
    assertThat(refusal("{\"jobId\":")).startsWith("malformed JSON");
    assertThat(refusal("{\"jobId\":\"a\",\"sizeBytes\":1,\"expectedMillis\":0} {}"))
        .startsWith("bad JobOffer");
  }

  @Test
  void theRecordsRefuseImpossibleValues() {
    assertThat(refusal("{\"jobId\":\"a/b\",\"sizeBytes\":1,\"expectedMillis\":0}"))
        .contains("jobId must match");
    assertThatThrownBy(() -> new RangeFetch("http://a/", 5, 4, 10, "\"t\"", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RangeFetch("http://a/", 0, 10, 10, "\"t\"", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RangeFetch("http://a/", 0, 1, 10, null, null))
        .hasMessageContaining("validator");
    assertThatThrownBy(() -> new RangeFetch("http://a/", 0, 1, 10, "W/\"weak\"", null))
        .hasMessageContaining("strong");
    assertThatThrownBy(() -> new JobAnswer(true, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new JobAnswer(false, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anErrorWithACodeFromANewerPeerIsStillReadable() {
    PeerException known = new PeerError("BUSY", "later").toException();
    PeerException unknown = new PeerError("FROM_THE_FUTURE", "hm").toException();

    assertThat(known.code()).isEqualTo(PeerErrorCode.BUSY);
    assertThat(unknown.code()).isEqualTo(PeerErrorCode.BAD_ANSWER);
    assertThat(unknown.detail()).contains("FROM_THE_FUTURE").contains("hm");
  }

  @Test
  void theRangeAndIfRangeFollowFromTheFetch() {
    RangeFetch byTag = new RangeFetch("http://a/", 10, 19, 100, "\"t\"", "date");
    RangeFetch byDate = new RangeFetch("http://a/", 10, 19, 100, null, "date");

    assertThat(byTag.range().rangeHeader()).isEqualTo("bytes=10-19");
    assertThat(byTag.length()).isEqualTo(10);
    assertThat(byTag.ifRange()).isEqualTo("\"t\"");
    assertThat(byDate.ifRange()).isEqualTo("date");
  }

  private static <T> T roundTrip(T message, Class<T> type) throws PeerException {
    return Json.decode(Json.encode(message), type, PeerErrorCode.BAD_REQUEST);
  }

  private static String refusal(String json) {
    try {
      Json.decode(Buffer.buffer(json), JobOffer.class, PeerErrorCode.BAD_REQUEST);
    } catch (PeerException e) {
      assertThat(e.code()).isEqualTo(PeerErrorCode.BAD_REQUEST);
      return e.detail();
    }
    throw new AssertionError("accepted: " + json);
  }
}
