package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.security.PeerId;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seams the owner's proxy drives: ping, live settings, admission and the per-peer ledger. */
@Timeout(60)
class HelperControlTest {
  private final PeerTestBed bed = new PeerTestBed();

  @AfterEach
  void close() {
    bed.close();
  }

  @Test
  void aPingAnswersTheHelpersIdWhetherItSharesAndItsRate() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().sharing(true, 8, 2));
    HelperLink link = bed.link(helper);

    PingResult result = Await.result(link.ping());

    assertThat(result.answer())
        .isEqualTo(new PingAnswer(bed.idOf(helper).toString(), true, 1_000_000));
    assertThat(result.roundTrip()).isPositive();
  }

  @Test
  void sharingSettingsChangeWithoutARestart() throws Exception {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().sharing(true, 8, 2));
    HelperLink link = bed.link(helper);
    assertThat(Await.result(link.offer(new JobOffer("a", 100, 0))).accepted()).isTrue();

    helper.updateSharing(false, 8, 2);

    awaitPing(link, answer -> !answer.sharing());
    assertThat(Await.result(link.offer(new JobOffer("b", 100, 0))).reason())
        .isEqualTo("sharing is off");

    helper.updateSharing(true, 16, 2);

    awaitPing(link, answer -> answer.sharing() && answer.rateBytesPerSec() == 2_000_000);
    assertThat(Await.result(link.offer(new JobOffer("b", 100, 0))))
        .isEqualTo(JobAnswer.accept(2_000_000).withSlots(2));
  }

  /**
   * Settings change on the helper's event loop, after the call returns: wait until its answers show
   * them (a deadline, not a fixed pause).
   */
  private static void awaitPing(HelperLink link, java.util.function.Predicate<PingAnswer> shown) {
    await("the helper showed its new settings")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> Await.result(link.ping()).answer(), shown);
  }

  @Test
  void aRateLimitLowersTheSharedRateAtOnceAndLiftsAgain() throws Exception {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().sharing(true, 8, 2));
    HelperLink link = bed.link(helper);

    helper.limitRate(100_000);
    awaitPing(link, answer -> answer.rateBytesPerSec() == 100_000);
    helper.limitRate(Long.MAX_VALUE);
    awaitPing(link, answer -> answer.rateBytesPerSec() == 1_000_000);
  }

  @Test
  void theSharingGateDeclinesOffersWithItsReasonAndIsAskedForTheCallingPeer() {
    Map<PeerId, Long> asked = new ConcurrentHashMap<>();
    SharingGate gate =
        (peer, bytes) -> {
          asked.merge(peer, bytes, Long::sum);
          return bytes > 1000 ? "monthly cap reached for " + peer.shortForm() : null;
        };
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper().sharingGate(gate));
    HelperLink link = bed.link(helper);

    JobAnswer big = Await.result(link.offer(new JobOffer("big", 5000, 0)));
    JobAnswer small = Await.result(link.offer(new JobOffer("small", 500, 0)));

    assertThat(big.accepted()).isFalse();
    assertThat(big.reason())
        .isEqualTo("monthly cap reached for " + PeerTestBed.HOME.id().shortForm());
    assertThat(small.accepted()).isTrue();
    assertThat(asked).containsExactly(Map.entry(PeerTestBed.HOME.id(), 5500L));
  }

  @Test
  void aRangeTheGateDeclinesIsRefusedAsDeclined() {
    SharingGate offPeakRangesOnly = (peer, bytes) -> bytes < 1000 ? "off-peak only" : null;
    HelperServer helper =
        bed.startHelper(PeerTestBed.sharingHelper().sharingGate(offPeakRangesOnly));
    HelperLink link = bed.link(helper);
    assertThat(Await.result(link.offer(new JobOffer("j", 8 * Content.MIB, 0))).accepted()).isTrue();

    Throwable failure = Await.failure(link.fetch("j", bed.rangeOf("/files/8MiB", 0, 99)));

    assertThat(((PeerException) failure).code()).isEqualTo(PeerErrorCode.DECLINED);
    assertThat(((PeerException) failure).detail()).isEqualTo("off-peak only");
  }

  @Test
  void theLedgerHearsEveryRangeByteSentToTheHome() {
    Map<PeerId, Long> given = new ConcurrentHashMap<>();
    HelperServer helper =
        bed.startHelper(
            PeerTestBed.sharingHelper()
                .bytesGiven((peer, bytes) -> given.merge(peer, bytes, Long::sum)));
    HelperLink link = bed.link(helper);
    Await.result(link.offer(new JobOffer("j", 8 * Content.MIB, 0)));

    Await.result(
        link.fetch("j", bed.rangeOf("/files/8MiB", 0, 700_000 - 1)).compose(PeerTestBed::drain));

    await()
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> given.getOrDefault(PeerTestBed.HOME.id(), 0L) == 700_000);
    assertThat(given).containsOnlyKeys(PeerTestBed.HOME.id());
  }
}
