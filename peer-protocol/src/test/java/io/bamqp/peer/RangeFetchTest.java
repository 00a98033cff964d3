package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.security.Cidr;
import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.Identity;
import io.bamqp.security.OwnSockets;
import io.bamqp.security.TrustedPeers;
import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.bamqp.testbed.Line;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RangeFetchTest {
  private static final String FILE = "/files/8MiB";
  private static final Content CONTENT = Content.ofSize(8 * Content.MIB);
  private static final String JOB = "job-1";

  private final PeerTestBed bed = new PeerTestBed();

  @AfterEach
  void close() {
    bed.close();
  }

  @Test
  void aRangeArrivesByteForByte() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    long first = Content.MIB + 17;
    long last = 3 * Content.MIB + 5;

    Future<RangeStream> fetch = link.fetch(JOB, bed.rangeOf(FILE, first, last));
    PeerTestBed.Received received = Await.result(fetch.compose(PeerTestBed::drain));

    assertThat(fetch.result().range().first()).isEqualTo(first);
    assertThat(received.bytes()).isEqualTo(last - first + 1);
    assertThat(received.sha256Hex()).isEqualTo(CONTENT.sha256Hex(first, last - first + 1));
  }

  @Test
  void theFirstAndTheLastByteOfTheFileCanBeFetched() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    long end = CONTENT.size() - 1;

    PeerTestBed.Received head = fetchAll(link, bed.rangeOf(FILE, 0, 0));
    PeerTestBed.Received tail = fetchAll(link, bed.rangeOf(FILE, end, end));

    assertThat(head.sha256Hex()).isEqualTo(CONTENT.sha256Hex(0, 1));
    assertThat(tail.sha256Hex()).isEqualTo(CONTENT.sha256Hex(end, 1));
  }

  @Test
  void anObjectThatChangedIsRefusedAsValidatorMismatchWithoutABody() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    RangeFetch stale = bed.rangeOf(FILE, 0, Content.MIB - 1);
    bed.origin.faults().changeVersionNow();

    PeerException refused = refusal(link.fetch(JOB, stale));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.VALIDATOR_MISMATCH);
    assertThat(refused.detail()).contains(CONTENT.etag()).contains(CONTENT.atVersion(1).etag());
  }

  @Test
  void aLastModifiedValidatorIsComparedAsADate() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(CONTENT.lastModified().atZone(ZoneOffset.UTC));
    RangeFetch byDate = new RangeFetch(bed.origin.url(FILE), 0, 99, CONTENT.size(), null, date);

    // The test origin honours If-Range with an ETag only: same date, so Range was ignored.
    assertThat(refusal(link.fetch(JOB, byDate)).code()).isEqualTo(PeerErrorCode.RANGE_IGNORED);
    bed.origin.faults().changeVersionNow();
    assertThat(refusal(link.fetch(JOB, byDate)).code()).isEqualTo(PeerErrorCode.VALIDATOR_MISMATCH);
  }

  @Test
  void anOriginThatIgnoresRangeIsRefused() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    bed.origin.faults().ignoreRange(true);

    PeerException refused = refusal(link.fetch(JOB, bed.rangeOf(FILE, 100, 199)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.RANGE_IGNORED);
  }

  @Test
  void aRedirectIsReportedWithoutBeingFollowed() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), 1000);
    RangeFetch fetch = new RangeFetch(bed.origin.url("/status/302"), 0, 9, 1000, "\"x\"", null);

    PeerException refused = refusal(link.fetch(JOB, fetch));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.REDIRECT);
    assertThat(refused.detail()).isEqualTo(PeerErrorCode.REDIRECT.fixedDetail());
    assertThat(bed.origin.stats("127.0.0.1").requests()).isEqualTo(1);
  }

  @Test
  void anErrorStatusIsReportedWithIt() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), 1000);
    RangeFetch fetch = new RangeFetch(bed.origin.url("/status/404"), 0, 9, 1000, "\"x\"", null);

    PeerException refused = refusal(link.fetch(JOB, fetch));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.ORIGIN_STATUS);
    assertThat(refused.detail()).contains("404");
  }

  @Test
  void anOriginThatRefusesConnectionsIsUnreachable() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), 1000);
    RangeFetch fetch = new RangeFetch("http://127.0.0.1:1/file", 0, 9, 1000, "\"x\"", null);

    PeerException refused = refusal(link.fetch(JOB, fetch));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.ORIGIN_UNREACHABLE);
    assertThat(refused.detail()).doesNotContain("127.0.0.1").doesNotContain(":1");
  }

  @Test
  void aDestinationOutsideTheOwnersAllowListIsRefusedBeforeAnyConnection() {
    DestinationPolicy strict = DestinationPolicy.create(List.of(), OwnSockets.read());
    HelperOptions.Builder options =
        PeerTestBed.sharingHelper(
            strict, Identity.generate(), TrustedPeers.of(Set.of(PeerTestBed.HOME.id())));
    HelperLink link = acceptedJob(options, CONTENT.size());

    PeerException refused = refusal(link.fetch(JOB, bed.rangeOf(FILE, 0, 99)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.DESTINATION_REFUSED);
    assertThat(bed.origin.stats("127.0.0.1").connections()).isZero();
  }

  @Test
  void theHelpersOwnPeerListenerIsRefusedEvenInsideTheAllowList() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    HelperLink link = bed.link(helper);
    Await.result(link.offer(new JobOffer(JOB, 1000, 0)));
    String self = "http://127.0.0.1:" + helper.port() + PeerProtocol.JOBS_PATH;

    PeerException refused =
        refusal(link.fetch(JOB, new RangeFetch(self, 0, 9, 1000, "\"x\"", null)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.DESTINATION_REFUSED);
    assertThat(refused.detail())
        .isEqualTo(PeerErrorCode.DESTINATION_REFUSED.fixedDetail())
        .doesNotContain("127.0.0.1")
        .doesNotContain(Integer.toString(helper.port()));
  }

  @Test
  void everyOtherListenerTheNodeRegisteredIsRefusedEvenInsideTheAllowList() {
    DestinationPolicy testBed = PeerTestBed.loopbackPolicy();
    HelperLink link =
        acceptedJob(
            PeerTestBed.sharingHelper(
                testBed, Identity.generate(), TrustedPeers.of(Set.of(PeerTestBed.HOME.id()))),
            CONTENT.size());
    // The origin stands in for another listener of the helper's node (its statistics page).
    testBed.ownSockets().listening(bed.origin.port());

    PeerException refused = refusal(link.fetch(JOB, bed.rangeOf(FILE, 0, 99)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.DESTINATION_REFUSED);
    assertThat(bed.origin.stats("127.0.0.1").connections()).isZero();
  }

  @Test
  void aJobsRangesGoToTheAddressCheckedForItsFirstRangeWithoutAskingTheResolverAgain() {
    AtomicInteger lookups = new AtomicInteger();
    DestinationPolicy counting =
        DestinationPolicy.create(
            List.of(Cidr.parse("127.0.0.0/8")),
            OwnSockets.read(),
            host -> {
              lookups.incrementAndGet();
              return new InetAddress[] {InetAddress.getLoopbackAddress()};
            });
    HelperServer helper =
        bed.startHelper(
            PeerTestBed.sharingHelper(
                counting, Identity.generate(), TrustedPeers.of(Set.of(PeerTestBed.HOME.id()))));
    HelperLink link = bed.link(helper);
    Await.result(link.offer(new JobOffer(JOB, CONTENT.size(), 1000)));
    Await.result(link.offer(new JobOffer("job-2", CONTENT.size(), 1000)));
    String byName = "http://origin.test:" + bed.origin.port() + FILE;

    for (int i = 0; i < 3; i++) {
      RangeFetch range =
          new RangeFetch(byName, i * 1000L, i * 1000L + 999, CONTENT.size(), CONTENT.etag(), null);
      assertThat(fetchAll(link, range).sha256Hex()).isEqualTo(CONTENT.sha256Hex(i * 1000L, 1000));
    }
    assertThat(lookups).hasValue(1);

    RangeFetch otherJob = new RangeFetch(byName, 0, 999, CONTENT.size(), CONTENT.etag(), null);
    Await.result(link.fetch("job-2", otherJob).compose(PeerTestBed::drain));
    assertThat(lookups).hasValue(2);
  }

  @Test
  void aRangeOfAnUnknownJobIsRefused() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());

    PeerException refused = refusal(bed.link(helper).fetch("nobody", bed.rangeOf(FILE, 0, 9)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.NO_SUCH_JOB);
  }

  @Test
  void aRangeOfAnotherSizeThanTheJobsIsRefused() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size() + 1);

    PeerException refused = refusal(link.fetch(JOB, bed.rangeOf(FILE, 0, 9)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.BAD_REQUEST);
  }

  @Test
  void anOriginResetMidBodyFailsTheHomesStreamInsteadOfEndingIt() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    bed.origin.faults().resetAfter(100_000);

    Future<RangeStream> fetch = link.fetch(JOB, bed.rangeOf(FILE, 0, Content.MIB - 1));
    Await.failure(fetch.compose(PeerTestBed::drain));

    assertThat(fetch.result().received()).isLessThan(Content.MIB);
  }

  @Test
  void anOriginStallingMidBodyFailsTheHomesStreamAfterTheOriginTimeout() {
    HelperOptions.Builder options =
        PeerTestBed.sharingHelper().originTimeout(Duration.ofMillis(300));
    HelperLink link = acceptedJob(options, CONTENT.size());
    bed.origin.faults().stallAfter(100_000);

    Future<RangeStream> fetch = link.fetch(JOB, bed.rangeOf(FILE, 0, Content.MIB - 1));
    Await.failure(fetch.compose(PeerTestBed::drain));

    assertThat(fetch.result().received()).isLessThanOrEqualTo(100_000);
    await()
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> bed.origin.stats("127.0.0.1").openConnections() == 0);
  }

  @Test
  void anOriginSlowerInAllThanTheOriginTimeoutButNeverSilentThatLongIsNotAStall() {
    HelperOptions.Builder options =
        PeerTestBed.sharingHelper().originTimeout(Duration.ofMillis(300));
    HelperLink link = acceptedJob(options, CONTENT.size());
    bed.origin.setLine("127.0.0.1", Line.ofMbps(2)); // 256 KiB in about a second

    Future<RangeStream> fetch = link.fetch(JOB, bed.rangeOf(FILE, 0, 256 * 1024 - 1));
    Await.result(fetch.compose(PeerTestBed::drain));

    assertThat(fetch.result().received()).isEqualTo(256 * 1024);
  }

  @Test
  void anOriginSlowerToAnswerThanTheOriginTimeoutIsReported() {
    HelperOptions.Builder options =
        PeerTestBed.sharingHelper().originTimeout(Duration.ofMillis(300));
    HelperLink link = acceptedJob(options, CONTENT.size());
    bed.origin.setLine("127.0.0.1", new Line(0, Duration.ofSeconds(3)));

    PeerException refused = refusal(link.fetch(JOB, bed.rangeOf(FILE, 0, 99)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.ORIGIN_TIMEOUT);
  }

  @Test
  void aReleaseAndAPingDoNotWaitBehindRangesHoldingEveryRangeConnection() {
    int jobs = HelperLinkOptions.MAX_CONNECTIONS / HelperOptions.MAX_FETCHES_PER_JOB;
    HelperLink link =
        acceptedJob(PeerTestBed.sharingHelper().sharing(true, 10_000, jobs), CONTENT.size());
    for (int j = 2; j <= jobs; j++) {
      JobOffer offer = new JobOffer("job-" + j, CONTENT.size(), 1000);
      assertThat(Await.result(link.offer(offer)).accepted()).isTrue();
    }
    bed.origin.setLine("127.0.0.1", Line.ofMbps(8));
    for (int i = 0; i < HelperLinkOptions.MAX_CONNECTIONS; i++) {
      // Left unread: each holds a range connection until its body is read.
      String job = "job-" + (i % jobs + 1);
      Await.result(link.fetch(job, bed.rangeOf(FILE, 0, Content.MIB)));
    }

    // A slot moving to another download: its release must not queue behind those bodies.
    Await.result(link.release("job-2"), Duration.ofSeconds(5));
    assertThat(Await.result(link.ping(), Duration.ofSeconds(5)).answer()).isNotNull();
  }

  @Test
  void aJobWithAllItsFetchesInFlightRefusesAnotherAsBusy() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    bed.origin.setLine("127.0.0.1", Line.ofMbps(8));
    for (int i = 0; i < HelperOptions.MAX_FETCHES_PER_JOB; i++) {
      // Left unread: each holds its fetch in flight.
      Await.result(link.fetch(JOB, bed.rangeOf(FILE, i * Content.MIB, (i + 2) * Content.MIB)));
    }

    PeerException refused = refusal(link.fetch(JOB, bed.rangeOf(FILE, 0, 99)));

    assertThat(refused.code()).isEqualTo(PeerErrorCode.BUSY);
  }

  @Test
  void aHomeThatCancelsClosesTheHelpersOriginConnection() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    bed.origin.setLine("127.0.0.1", Line.ofMbps(16));

    RangeStream stream =
        Await.result(
            link.fetch(JOB, bed.rangeOf(FILE, 0, CONTENT.size() - 1))
                .onSuccess(flowing -> flowing.handler(chunk -> flowing.cancel())));
    await().atMost(Await.DEFAULT_DEADLINE).until(() -> stream.received() > 0);
    await()
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> bed.origin.stats("127.0.0.1").openConnections() == 0);

    assertThat(bed.origin.stats("127.0.0.1").bytesSent()).isLessThan(CONTENT.size());
  }

  @Test
  void aHomeThatStopsReadingPausesTheOrigin() {
    String big = "/files/256MiB";
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), 256 * Content.MIB);

    Await.result(
        link.fetch(JOB, bed.rangeOf(big, 0, 256 * Content.MIB - 1))
            .map(stream -> stream.handler(chunk -> stream.pause())));
    await()
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> bed.origin.stats("127.0.0.1").writeQueueFull() > 0);
    long sent = bed.origin.stats("127.0.0.1").bytesSent();

    // What is asserted is an absence: the origin sends (almost) nothing more for 200 ms.
    await()
        .during(Duration.ofMillis(200))
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> bed.origin.stats("127.0.0.1").bytesSent() - sent < 16 * Content.MIB);
    assertThat(bed.origin.stats("127.0.0.1").bytesSent()).isLessThan(64 * Content.MIB);
    assertThat(bed.origin.stats("127.0.0.1").bytesSent() - sent).isLessThan(16 * Content.MIB);
  }

  @Test
  void releasingAJobAbortsItsFlowingRange() {
    HelperLink link = acceptedJob(PeerTestBed.sharingHelper(), CONTENT.size());
    bed.origin.setLine("127.0.0.1", Line.ofMbps(16));

    Future<RangeStream> fetch = link.fetch(JOB, bed.rangeOf(FILE, 0, CONTENT.size() - 1));
    Future<PeerTestBed.Received> drained = fetch.compose(PeerTestBed::drain);
    Await.result(fetch);
    Await.result(link.release(JOB));

    Await.failure(drained);
    assertThat(fetch.result().received()).isLessThan(CONTENT.size());
  }

  @Test
  void originConnectionsLeaveFromTheBindAddress() {
    HelperLink link =
        acceptedJob(PeerTestBed.sharingHelper().bindAddress("127.0.0.12"), CONTENT.size());

    PeerTestBed.Received received = fetchAll(link, bed.rangeOf(FILE, 1000, 200_999));

    assertThat(received.bytes()).isEqualTo(200_000);
    assertThat(bed.origin.stats("127.0.0.12").bytesSent()).isEqualTo(200_000);
  }

  private HelperLink acceptedJob(HelperOptions.Builder options, long size) {
    HelperLink link = bed.link(bed.startHelper(options));
    assertThat(Await.result(link.offer(new JobOffer(JOB, size, 1000))).accepted()).isTrue();
    return link;
  }

  private static PeerTestBed.Received fetchAll(HelperLink link, RangeFetch fetch) {
    return Await.result(link.fetch(JOB, fetch).compose(PeerTestBed::drain));
  }

  private static PeerException refusal(Future<?> future) {
    Throwable failure = Await.failure(future);
    assertThat(failure).isInstanceOf(PeerException.class);
    return (PeerException) failure;
  }
}
