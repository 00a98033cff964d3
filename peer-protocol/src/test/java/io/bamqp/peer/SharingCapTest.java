package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The owner's rate cap, shared by all jobs: bound checks, not speed tests, measured on the wall
 * clock.
 */
@Tag("timing")
@Timeout(60)
class SharingCapTest {
  private static final String FILE = "/files/8MiB";
  private static final double MBPS = 8;
  private static final double CAP_BYTES_PER_SEC = MBPS * 125_000;

  /**
   * What the bucket lets through beyond the cap over any span: the quarter second of the cap it
   * saves up, plus one 64 KiB chunk read into debt (RateBucket).
   */
  private static final double BURST_BYTES = CAP_BYTES_PER_SEC / 4 + 64 * 1024;

  private final PeerTestBed bed = new PeerTestBed();

  @AfterEach
  void close() {
    bed.close();
  }

  @Test
  void oneRangeStaysWithinTheCapPlusItsBurst() {
    HelperLink link = bed.link(bed.startHelper(PeerTestBed.sharingHelper().sharing(true, MBPS, 2)));
    Await.result(link.offer(new JobOffer("a", 8 * Content.MIB, 0)));
    long bytes = 2 * Content.MIB;

    long start = System.nanoTime();
    PeerTestBed.Received received =
        Await.result(link.fetch("a", bed.rangeOf(FILE, 0, bytes - 1)).compose(PeerTestBed::drain));
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(received.bytes()).isEqualTo(bytes);
    assertThat((double) bytes)
        .isLessThanOrEqualTo(BURST_BYTES + CAP_BYTES_PER_SEC * seconds * 1.10);
  }

  @Test
  void twoJobsShareOneCap() {
    HelperLink link = bed.link(bed.startHelper(PeerTestBed.sharingHelper().sharing(true, MBPS, 2)));
    Await.result(link.offer(new JobOffer("a", 8 * Content.MIB, 0)));
    Await.result(link.offer(new JobOffer("b", 8 * Content.MIB, 0)));
    long each = Content.MIB;

    long start = System.nanoTime();
    Future<PeerTestBed.Received> a =
        link.fetch("a", bed.rangeOf(FILE, 0, each - 1)).compose(PeerTestBed::drain);
    Future<PeerTestBed.Received> b =
        link.fetch("b", bed.rangeOf(FILE, each, 2 * each - 1)).compose(PeerTestBed::drain);
    Await.result(Future.all(a, b));
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(a.result().bytes() + b.result().bytes()).isEqualTo(2 * each);
    assertThat((double) 2 * each)
        .isLessThanOrEqualTo(BURST_BYTES + CAP_BYTES_PER_SEC * seconds * 1.10);
  }
}
