package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.security.Identity;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JobOfferTest {
  private static final JobOffer OFFER = new JobOffer("job-1", 64 * Content.MIB, 10_000);

  private final PeerTestBed bed = new PeerTestBed();

  @AfterEach
  void close() {
    bed.close();
  }

  @Test
  void aSharingHelperAcceptsAtItsSharingCap() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().sharing(true, 8, 2));

    JobAnswer answer = Await.result(bed.link(helper).offer(OFFER));

    assertThat(answer).isEqualTo(JobAnswer.accept(1_000_000).withSlots(2));
  }

  @Test
  void aHelperWhoseOwnerDidNotOptInDeclines() {
    HelperOptions.Builder defaults =
        PeerTestBed.sharingHelper()
            .sharing(
                HelperOptions.DEFAULT_SHARING_ENABLED,
                HelperOptions.DEFAULT_MAX_RATE_MBPS,
                HelperOptions.DEFAULT_MAX_CONCURRENT_JOBS);
    HelperServer helper = bed.startHelper(defaults);

    JobAnswer answer = Await.result(bed.link(helper).offer(OFFER));

    assertThat(answer.accepted()).isFalse();
    assertThat(answer.reason()).isEqualTo("sharing is off");
  }

  @Test
  void aHelperHoldingMaxConcurrentJobsDeclinesUntilOneIsReleased() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    HelperLink link = bed.link(helper);
    assertThat(Await.result(link.offer(new JobOffer("a", 100, 0))).accepted()).isTrue();
    assertThat(Await.result(link.offer(new JobOffer("b", 100, 0))).accepted()).isTrue();

    JobAnswer third = Await.result(link.offer(new JobOffer("c", 100, 0)));
    assertThat(third.accepted()).isFalse();
    assertThat(third.reason()).isEqualTo("busy: 2 of 2 jobs");

    Await.result(link.release("a"));
    assertThat(Await.result(link.offer(new JobOffer("c", 100, 0))).accepted()).isTrue();
  }

  @Test
  void offeringALiveJobAgainDoesNotTakeASecondSlot() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().sharing(true, 10, 1));
    HelperLink link = bed.link(helper);

    assertThat(Await.result(link.offer(OFFER)).accepted()).isTrue();
    assertThat(Await.result(link.offer(OFFER)).accepted()).isTrue();
    assertThat(Await.result(link.offer(new JobOffer("other", 100, 0))).accepted()).isFalse();
  }

  @Test
  void aJobWithoutRangeFetchesExpiresAndFreesItsSlot() {
    HelperServer helper =
        bed.startHelper(
            PeerTestBed.sharingHelper()
                .sharing(true, 10, 1)
                .jobIdleTimeout(Duration.ofMillis(200)));
    HelperLink link = bed.link(helper);
    assertThat(Await.result(link.offer(new JobOffer("vanished", 100, 0))).accepted()).isTrue();
    assertThat(Await.result(link.offer(new JobOffer("next", 100, 0))).accepted()).isFalse();

    // Declined offers open no job, so asking again until the slot is free changes nothing.
    await("the idle job expired and freed its slot")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> Await.result(link.offer(new JobOffer("next", 100, 0))).accepted());
  }

  @Test
  void releasingAnUnknownJobSucceeds() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());

    Await.result(bed.link(helper).release("never-offered"));
  }

  @Test
  void aRequestInAnotherProtocolVersionIsRefusedClearly() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    String offer = "{\"jobId\":\"a\",\"sizeBytes\":100,\"expectedMillis\":0}";

    PeerTestBed.RawAnswer header = bed.raw(helper, "POST", "/bamqp/v1/jobs", "2", offer);
    PeerTestBed.RawAnswer path = bed.raw(helper, "POST", "/bamqp/v2/jobs", "2", offer);
    PeerTestBed.RawAnswer none = bed.raw(helper, "POST", "/bamqp/v1/jobs", null, offer);

    for (PeerTestBed.RawAnswer answer : new PeerTestBed.RawAnswer[] {header, path, none}) {
      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.version()).isEqualTo("1");
      assertThat(answer.error().code()).isEqualTo("UNSUPPORTED_VERSION");
      assertThat(answer.error().detail()).contains("speaks bamqp peer protocol 1");
    }
    assertThat(path.error().detail()).contains("'2'");
  }

  @Test
  void anUnknownFieldIsRefusedByName() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    String offer = "{\"jobId\":\"a\",\"sizeBytes\":100,\"expectedMillis\":0,\"url\":\"http://x/\"}";

    PeerTestBed.RawAnswer answer = bed.raw(helper, "POST", "/bamqp/v1/jobs", "1", offer);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error())
        .isEqualTo(new PeerError("BAD_REQUEST", "unknown field 'url' in JobOffer"));
  }

  @Test
  void anOversizedMessageIsRefusedUnread() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    String huge = "{\"jobId\":\"" + "a".repeat(PeerProtocol.MAX_MESSAGE_BYTES) + "\"}";

    PeerTestBed.RawAnswer answer = bed.raw(helper, "POST", "/bamqp/v1/jobs", "1", huge);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.error().code()).isEqualTo("MESSAGE_TOO_LARGE");
  }

  @Test
  void aHomeTalkingToSomethingElseThanAPeerGetsUnsupportedVersion() {
    Identity stranger = Identity.generate();
    int port = bed.startWebServer(stranger);
    HelperLink link =
        bed.link(
            HelperLinkOptions.builder("127.0.0.1", port, PeerTestBed.HOME, stranger.id()).build());

    Throwable failure = Await.failure(link.offer(OFFER));

    assertThat(failure).isInstanceOf(PeerException.class);
    assertThat(((PeerException) failure).code()).isEqualTo(PeerErrorCode.UNSUPPORTED_VERSION);
  }
}
