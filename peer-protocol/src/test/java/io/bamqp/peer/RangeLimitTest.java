package io.bamqp.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.Content;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The owner's limits hold within a range, not only at its start, and sizes from the wire are
 * checked before any arithmetic is done on them.
 */
@Timeout(60)
class RangeLimitTest {
  private static final long CAP = Content.MIB;

  private final PeerTestBed bed = new PeerTestBed();

  @AfterEach
  void close() {
    bed.close();
  }

  @Test
  void aRangeLongerThanWhatIsLeftOfTheCapIsCutAtTheCap() {
    AtomicLong given = new AtomicLong();
    SharingGate cap =
        (peer, bytes) -> given.get() + bytes > CAP ? "monthly cap of 1MiB reached" : null;
    HelperServer helper =
        bed.startHelper(
            PeerTestBed.sharingHelper()
                .sharingGate(cap)
                .bytesGiven((peer, bytes) -> given.addAndGet(bytes)));
    HelperLink link = bed.link(helper);
    long size = 64 * Content.MIB;
    assertThat(Await.result(link.offer(new JobOffer("j", size, 0))).accepted()).isTrue();

    Throwable failure =
        Await.failure(
            link.fetch("j", bed.rangeOf("/files/64MiB", 0, 60 * Content.MIB - 1))
                .compose(PeerTestBed::drain));

    assertThat(failure).isNotNull();
    // Each origin read is asked for before it is relayed: one range never passes the cap, and
    // it is served up to it (the last read that would pass it is the one withheld).
    assertThat(given.get()).isGreaterThan(CAP / 2).isLessThanOrEqualTo(CAP);
  }

  @Test
  void aHostileSizeIsRefusedWithItsReasonNotANegativeLength() {
    HelperServer helper = bed.startHelper(PeerTestBed.sharingHelper());
    String offer = "{\"jobId\":\"j\",\"sizeBytes\":" + Long.MAX_VALUE + ",\"expectedMillis\":0}";

    PeerTestBed.RawAnswer answer = bed.raw(helper, "POST", "/bamqp/v1/jobs", "1", offer);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error().code()).isEqualTo("BAD_REQUEST");
    assertThat(answer.error().detail())
        .contains("sizeBytes must be 1 to " + PeerProtocol.MAX_REPRESENTATION_BYTES);
  }

  @Test
  void hostileRangesAreRefusedPrecisely() {
    long max = PeerProtocol.MAX_REPRESENTATION_BYTES;
    assertThatThrownBy(() -> fetch(0, Long.MAX_VALUE - 1, Long.MAX_VALUE))
        .hasMessageContaining("totalBytes must be 1 to " + max);
    assertThatThrownBy(() -> fetch(-1, 10, 100)).hasMessageContaining("0 <= first <= last");
    assertThatThrownBy(() -> fetch(10, 9, 100)).hasMessageContaining("0 <= first <= last");
    assertThatThrownBy(() -> fetch(0, 100, 100)).hasMessageContaining("last < totalBytes");
    assertThatThrownBy(() -> new JobOffer("j", -1, 0)).hasMessageContaining("sizeBytes must be");
    assertThat(fetch(0, max - 1, max).length()).isEqualTo(max);
    assertThat(PeerProtocol.framedLength(0, max - 1)).isPositive();
    assertThatThrownBy(() -> PeerProtocol.framedLength(0, Long.MAX_VALUE - 1))
        .isInstanceOf(ArithmeticException.class);
  }

  private static RangeFetch fetch(long first, long last, long total) {
    return new RangeFetch("http://mirror.example/big.iso", first, last, total, "\"e\"", null);
  }
}
