package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.security.Identity;
import io.bamqp.security.NonceCache;
import io.bamqp.security.PeerId;
import io.bamqp.security.TrustedPeers;
import io.bamqp.testbed.Await;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who may talk to a helper: mutual TLS pinned by peer ID, then a fresh signature per request. */
@Timeout(60)
class PeerAuthenticationTest {
  private static final String OFFER = "{\"jobId\":\"a\",\"sizeBytes\":100,\"expectedMillis\":0}";
  private static final String JOBS = PeerProtocol.JOBS_PATH;

  private final PeerTestBed bed = new PeerTestBed();
  private final Logger peerLog = Logger.getLogger("io.bamqp.peer");
  private final List<String> logLines = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logLines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  PeerAuthenticationTest() {
    peerLog.addHandler(capture);
  }

  @AfterEach
  void close() {
    peerLog.removeHandler(capture);
    bed.close();
  }

  @Test
  void aTrustedHomeAndItsPinnedHelperSpeakTls13() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());

    PeerTestBed.RawAnswer answer = bed.raw(helper, "POST", JOBS, "1", OFFER);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.tls()).isEqualTo("TLSv1.3");
    assertThat(Await.result(bed.link(helper).offer(new JobOffer("b", 100, 0))).accepted()).isTrue();
  }

  @Test
  void aHomeNotInPeerTrustedFailsTheHandshakeAndIsLoggedByItsId() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    Identity stranger = Identity.generate();

    HelperLink link =
        bed.link(
            HelperLinkOptions.builder("127.0.0.1", helper.port(), stranger, bed.idOf(helper))
                .build());

    assertThat(Await.failure(link.offer(new JobOffer("a", 100, 0))))
        .isNotInstanceOf(PeerException.class);
    await()
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> logLines.contains("refused peer " + stranger.id() + ": not in peer.trusted"));
  }

  @Test
  void aFloodOfUntrustedHandshakesLogsOnlyTheFirstFewLines() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    int handshakes = RateLimitedLog.DEFAULT_BURST * 4;

    for (int i = 0; i < handshakes; i++) {
      Identity stranger = Identity.generate();
      HelperLink link =
          bed.link(
              HelperLinkOptions.builder("127.0.0.1", helper.port(), stranger, bed.idOf(helper))
                  .build());
      assertThat(Await.failure(link.offer(new JobOffer("a", 100, 0))))
          .isNotInstanceOf(PeerException.class);
    }

    assertThat(logLines.stream().filter(line -> line.startsWith("refused peer ")))
        .hasSize(RateLimitedLog.DEFAULT_BURST);
  }

  @Test
  void aHelperWhoseKeyIsNotThePinnedIdIsRefusedByTheHome() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    PeerId expected = Identity.generate().id();

    HelperLink link =
        bed.link(
            HelperLinkOptions.builder("127.0.0.1", helper.port(), PeerTestBed.HOME, expected)
                .build());
    Throwable failure = Await.failure(link.offer(new JobOffer("a", 100, 0)));

    assertThat(failure).isNotInstanceOf(PeerException.class);
    assertThat(causes(failure)).anyMatch(m -> m.contains("refused peer " + bed.idOf(helper)));
  }

  @Test
  void aHomeRemovedFromTheTrustedSetIsRefusedOnItsOpenConnection() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    HelperLink link = bed.link(helper);
    assertThat(Await.result(link.offer(new JobOffer("a", 100, 0))).accepted()).isTrue();

    helper.updateTrusted(Set.of());
    Throwable failure = Await.failure(link.offer(new JobOffer("b", 100, 0)));

    assertThat(failure).isInstanceOf(PeerException.class);
    assertThat(((PeerException) failure).code()).isEqualTo(PeerErrorCode.NOT_TRUSTED);
  }

  @Test
  void aReplayedRequestIsRefusedAsReplayed() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    String signature =
        PeerTestBed.signature(bed.idOf(helper), "POST", JOBS, OFFER, System.currentTimeMillis());

    PeerTestBed.RawAnswer first = bed.raw(helper, "POST", JOBS, "1", OFFER, signature);
    PeerTestBed.RawAnswer replay = bed.raw(helper, "POST", JOBS, "1", OFFER, signature);

    assertThat(first.status()).isEqualTo(200);
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.error().code()).isEqualTo("REPLAYED");
  }

  @Test
  void aRequestSignedForAnotherHelperIsRefused() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    PeerId other = Identity.generate().id();
    String signature =
        PeerTestBed.signature(other, "POST", JOBS, OFFER, System.currentTimeMillis());

    PeerTestBed.RawAnswer answer = bed.raw(helper, "POST", JOBS, "1", OFFER, signature);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.error().code()).isEqualTo("WRONG_AUDIENCE");
    assertThat(answer.error().detail()).contains(other.toString());
  }

  @Test
  void aRequestSignedOutsideTheTimeWindowIsRefusedEitherWay() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    long window = NonceCache.DEFAULT_WINDOW.toMillis();
    long now = System.currentTimeMillis();

    for (long time : new long[] {now - window - 5_000, now + window + 5_000}) {
      String signature = PeerTestBed.signature(bed.idOf(helper), "POST", JOBS, OFFER, time);
      PeerTestBed.RawAnswer answer = bed.raw(helper, "POST", JOBS, "1", OFFER, signature);

      assertThat(answer.status()).isEqualTo(401);
      assertThat(answer.error().code()).isEqualTo("OUTSIDE_TIME_WINDOW");
    }
  }

  @Test
  void anUnsignedRequestAndOneSignedOverAnotherBodyAreRefused() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    String otherBody = OFFER.replace("100", "101");
    String signature =
        PeerTestBed.signature(
            bed.idOf(helper), "POST", JOBS, otherBody, System.currentTimeMillis());

    PeerTestBed.RawAnswer unsigned = bed.raw(helper, "POST", JOBS, "1", OFFER, null);
    PeerTestBed.RawAnswer swapped = bed.raw(helper, "POST", JOBS, "1", OFFER, signature);

    assertThat(unsigned.status()).isEqualTo(401);
    assertThat(unsigned.error().code()).isEqualTo("BAD_SIGNATURE");
    assertThat(swapped.status()).isEqualTo(401);
    assertThat(swapped.error().code()).isEqualTo("BAD_SIGNATURE");
  }

  @Test
  void aJobBelongsToTheHomeThatOfferedIt() {
    Identity other = Identity.generate();
    HelperServer helper =
        bed.startHelper(
            PeerTestBed.sharingHelper(
                    PeerTestBed.loopbackPolicy(),
                    Identity.generate(),
                    TrustedPeers.of(Set.of(PeerTestBed.HOME.id(), other.id())))
                .sharing(true, 10_000, 1));
    HelperLink mine = bed.link(helper);
    HelperLink theirs =
        bed.link(
            HelperLinkOptions.builder("127.0.0.1", helper.port(), other, bed.idOf(helper)).build());
    assertThat(Await.result(mine.offer(new JobOffer("same", 100, 0))).accepted()).isTrue();

    Await.result(theirs.release("same"));
    JobAnswer theirOffer = Await.result(theirs.offer(new JobOffer("next", 100, 0)));

    assertThat(theirOffer.accepted()).isFalse();
    assertThat(theirOffer.reason()).isEqualTo("busy: 1 of 1 jobs");
  }

  private static List<String> causes(Throwable failure) {
    List<String> messages = new java.util.ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return messages;
  }
}
