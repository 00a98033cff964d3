package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.Identity;
import io.bamqp.security.TrustedPeers;
import io.bamqp.testbed.Await;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A helper serving two homes: max-min shares of its slots, and a queue instead of a lost offer. */
@Timeout(60)
class HomeSharingTest {
  private static final Identity OTHER = Identity.generate();

  private final PeerTestBed bed = new PeerTestBed();

  @AfterEach
  void close() {
    bed.close();
  }

  private HelperServer helperForBoth() {
    return bed.startHelper(
        PeerTestBed.sharingHelper(
            PeerTestBed.loopbackPolicy(),
            Identity.generate(),
            TrustedPeers.of(Set.of(PeerTestBed.HOME.id(), OTHER.id()))));
  }

  private HelperLink otherLink(HelperServer helper) {
    return bed.link(
        HelperLinkOptions.builder("127.0.0.1", helper.port(), OTHER, bed.idOf(helper)).build());
  }

  @Test
  void aBusyHomeIsQueuedAndTheNextFreedSlotIsHeldForItNotForTheHomeThatHadBoth() {
    HelperServer helper = helperForBoth();
    HelperLink home = bed.link(helper);
    HelperLink other = otherLink(helper);
    assertThat(Await.result(home.offer(new JobOffer("a", 100, 0))).slots()).isEqualTo(2);
    assertThat(Await.result(home.offer(new JobOffer("b", 100, 0))).accepted()).isTrue();

    JobAnswer queued = Await.result(other.offer(new JobOffer("x", 100, 0)));
    assertThat(queued.accepted()).isFalse();
    assertThat(queued.reason()).isEqualTo("busy: 2 of 2 jobs");
    assertThat(queued.queuePosition()).isEqualTo(1);
    assertThat(queued.retryAfterMillis()).isPositive();
    assertThat(queued.slots()).as("its max-min share").isEqualTo(1);

    Await.result(home.release("a"));
    JobAnswer again = Await.result(home.offer(new JobOffer("c", 100, 0)));
    assertThat(again.accepted()).as("the freed slot is held for the queued home").isFalse();
    assertThat(again.slots()).as("the first home's share shrank").isEqualTo(1);

    JobAnswer taken = Await.result(other.offer(new JobOffer("x", 100, 0)));
    assertThat(taken.accepted()).isTrue();
    assertThat(taken.slots()).isEqualTo(1);
  }

  @Test
  void aHomeAloneMayUseEverySlot() {
    HelperServer helper = helperForBoth();
    HelperLink other = otherLink(helper);

    assertThat(Await.result(other.offer(new JobOffer("x", 100, 0))).accepted()).isTrue();
    JobAnswer second = Await.result(other.offer(new JobOffer("y", 100, 0)));
    assertThat(second.accepted()).isTrue();
    assertThat(second.slots()).isEqualTo(2);
  }

  @Test
  void anOlderHomeWithoutTheQueueFeatureGetsTheAnswerOfOld() {
    HelperServer helper = helperForBoth();
    HelperLink other = otherLink(helper);
    Await.result(other.offer(new JobOffer("x", 100, 0)));
    Await.result(other.offer(new JobOffer("y", 100, 0)));

    PeerTestBed.RawAnswer busy =
        bed.raw(
            helper,
            "POST",
            "/bamqp/v1/jobs",
            "1",
            "{\"jobId\":\"a\",\"sizeBytes\":100,\"expectedMillis\":0}");

    assertThat(busy.status()).isEqualTo(200);
    assertThat(busy.body().toString())
        .isEqualTo("{\"accepted\":false,\"rateBytesPerSec\":0,\"reason\":\"busy: 2 of 2 jobs\"}");

    // It is not queued: the slot that frees goes to whoever offers next, not held for it.
    Await.result(other.release("x"));
    assertThat(Await.result(other.offer(new JobOffer("z", 100, 0))).accepted()).isTrue();
  }
}
