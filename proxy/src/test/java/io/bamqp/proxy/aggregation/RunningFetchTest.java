package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.ByteRange;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class RunningFetchTest {
  private final FakeFlow flow = FakeFlow.silent();

  @Test
  void bytesPastTheRangeAreClippedAndTheRangeIsWholeAtItsLastByte() {
    RunningFetch fetch = new RunningFetch(null, new ByteRange(100, 109), flow, false, 0);

    Buffer first = fetch.clip(Buffer.buffer("012345"));
    assertThat(first.length()).isEqualTo(6);
    assertThat(fetch.advance(first.length())).isFalse();
    assertThat(fetch.next()).isEqualTo(106);

    Buffer rest = fetch.clip(Buffer.buffer("6789abcdef"));
    assertThat(rest.toString()).isEqualTo("6789");
    assertThat(fetch.advance(rest.length())).isTrue();

    fetch.cutIfRunsPastRange();
    assertThat(flow.cancels).as("a range fetch ends by itself").isZero();
  }

  @Test
  void theInitialResponseIsCutOnceItsRangeIsWhole() {
    RunningFetch fetch = new RunningFetch(null, new ByteRange(0, 3), flow, true, 0);

    assertThat(fetch.advance(fetch.clip(Buffer.buffer("0123456789")).length())).isTrue();
    fetch.cutIfRunsPastRange();

    assertThat(flow.cancels).isEqualTo(1);
  }

  @Test
  void itsTimelineSaysWhenTheRangeWasAskedOpenedBeganAndEndedSinceTheDownloadBegan() {
    long began = System.nanoTime();
    RunningFetch fetch =
        new RunningFetch(null, new ByteRange(0, 1_048_575), flow, false, began + 5_000_000);
    fetch.advance(1_048_576);

    String timeline = fetch.timeline(began, began + 1_005_000_000L);

    assertThat(timeline)
        .startsWith("bytes 0-1048575 (1.00 MiB): asked at +5 ms, open +")
        .containsPattern(
            "open \\+\\d+, first byte \\+\\d+, whole \\+1005 \\(\\d+\\.\\d Mbit/s\\)$");
  }
}
