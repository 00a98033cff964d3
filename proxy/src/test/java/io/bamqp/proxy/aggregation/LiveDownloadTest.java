package io.bamqp.proxy.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.planner.Action;
import org.junit.jupiter.api.Test;

class LiveDownloadTest {
  private static final long MS = 1_000_000;

  @Test
  void eachSourceKeepsItsBytesAndOnlyTheNewOnesCountAsKept() {
    LiveDownload live = new LiveDownload("d", 300, 100, 0).describe("example.com:80/f", null, 1);
    live.joined(0, "home", 100, 5 * MS, 0);
    live.joined(1, "peer:A", 100, 9 * MS, 0);
    live.assigned(7, Action.Assign.Purpose.HEDGE);
    live.delivered(0, 1, 200, 200, 500 * MS);
    live.delivered(1, 7, 150, 100, 600 * MS);
    live.stalled(1);
    live.tick(600 * MS, 300);

    DownloadSnapshot done = live.ended(1000 * MS, 300, null);

    assertThat(done.outcome()).isEqualTo(DownloadSnapshot.Outcome.COMPLETED);
    assertThat(done.sources()).extracting(SourceSnapshot::name).containsExactly("home", "peer:A");
    assertThat(done.sources().stream().mapToLong(SourceSnapshot::keptBytes).sum()).isEqualTo(300);
    SourceSnapshot peer = done.sources().get(1);
    assertThat(peer.bytes()).isEqualTo(150);
    assertThat(peer.hedgedBytes()).isEqualTo(150);
    assertThat(peer.stalls()).isEqualTo(1);
    assertThat(peer.rttMillis()).isEqualTo(9);
    assertThat(done.speedUp()).isEqualTo(3.0);
    assertThat(done.efficiency()).isEqualTo(1.5);
    assertThat(live.ended(2000 * MS, 300, "late")).isSameAs(done);
  }

  @Test
  void aDownloadEveryHelperDeclinedSaysSo() {
    LiveDownload live = new LiveDownload("d", 100, 100, 0).describe("example.com:80/f", null, 2);
    live.joined(0, "home", 100, 0, 0);
    live.declined("peer:A", "busy");
    live.declined("peer:B", "sharing is off");

    DownloadSnapshot done = live.ended(MS, 100, null);

    assertThat(done.notes())
        .containsExactly("all helpers declined (peer:A: busy; peer:B: sharing is off)");
  }

  @Test
  void aLongDownloadKeepsItsWholeChartAtACoarserStep() {
    LiveDownload live = new LiveDownload("d", 1L << 40, 100, 0);
    live.joined(0, "home", 100, 0, 0);
    for (long t = 1; t <= 3 * LiveDownload.MAX_SAMPLES; t++) {
      live.delivered(0, 1, 1000, 1000, t * LiveDownload.FIRST_SAMPLE_MILLIS * MS);
      live.tick(t * LiveDownload.FIRST_SAMPLE_MILLIS * MS, t * 1000);
    }

    DownloadSnapshot snapshot = live.snapshot();
    assertThat(snapshot.sources().get(0).samples()).hasSizeLessThan(LiveDownload.MAX_SAMPLES);
    assertThat(snapshot.sampleMillis()).isGreaterThan(LiveDownload.FIRST_SAMPLE_MILLIS);
  }
}
