package io.bamqp.proxy.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.proxy.config.ByteSize;
import io.bamqp.proxy.config.DailyWindow;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SharingGovernorTest {
  private static final PeerId PEER = PeerId.ofPublicKey(new byte[32]);
  private static final PeerId OTHER = Identity.generate().id();
  private static final ByteSize GIB_200 = ByteSize.parse("200GiB");
  private static final ByteSize GIB_20 = ByteSize.parse("20GiB");

  private final SettableClock clock = new SettableClock(LocalDateTime.of(2026, 3, 14, 3, 0));
  private final Usage usage = new Usage();
  private final RecordingHelper helper = new RecordingHelper();

  @Test
  void theRateIsTheLeastOfTheCapAndTheShareOfTheLine() {
    assertThat(new SharingPolicy(sharing(true, 10, 100, 0.5), 50).rateMbps(false)).isEqualTo(10);
    assertThat(new SharingPolicy(sharing(true, 10, 10, 0.5), 50).rateMbps(false)).isEqualTo(5);
    assertThat(new SharingPolicy(sharing(true, 10, 10, 0.5), 50).rateBytesPerSecond(false))
        .isEqualTo(625_000);
  }

  @Test
  void whileOwnClientsAreBusyTheRateDropsToTheFloorAndComesBackAfter() {
    SharingGovernor governor = governor(sharing(true, 10, 100, 0.5), 50);
    governor.attach(helper);
    assertThat(helper.rates).containsExactly(1_250_000L);

    governor.busyChanged(true);
    assertThat(governor.yielding()).isTrue();
    assertThat(governor.rateMbps()).isEqualTo(0.5);
    governor.busyChanged(false);

    assertThat(helper.rates).containsExactly(1_250_000L, 62_500L, 1_250_000L);
  }

  @Test
  void aFloorAboveTheShareOfTheLineNeverRaisesTheRate() {
    SharingGovernor governor = governor(sharing(true, 10, 1, 2), 50); // 1% of 50 = 0.5 Mbit/s
    governor.busyChanged(true);
    assertThat(governor.rateMbps()).isEqualTo(0.5);
  }

  @Test
  void newSettingsReachTheHelperAndItsRate() {
    SharingGovernor governor = governor(sharing(true, 10, 100, 0.5), 50);
    governor.attach(helper);
    governor.reconfigure(sharing(false, 20, 100, 0.5));
    assertThat(helper.updates).containsExactly("false 20.0 2");
    assertThat(helper.rates).last().isEqualTo(2_500_000L);
    assertThat(governor.declineReason(PEER, 1)).isEqualTo("sharing is off");
  }

  @Test
  void aPeerIsTurnedAwayWithTheReasonItCanRead() {
    SharingOptions caps =
        new SharingOptions(
            true, 10.0, 2, 100, DailyWindow.parse("01:00-07:00"), GIB_200, GIB_20, 0.5);
    SharingGovernor governor = governor(caps, 50);
    assertThat(governor.declineReason(PEER, 1)).isNull();
    assertThat(governor.declineReason(OTHER, 1)).isNull();

    usage.peers.put(PEER.toString(), GIB_20.bytes());
    assertThat(governor.declineReason(PEER, 1))
        .isEqualTo("peer " + PEER + "'s monthly cap of 20GiB reached");
    assertThat(governor.declineReason(OTHER, 1)).as("another account").isNull();

    usage.total = GIB_200.bytes();
    assertThat(governor.declineReason(OTHER, 1)).isEqualTo("monthly cap of 200GiB reached");

    clock.set(LocalDateTime.of(2026, 3, 14, 7, 0));
    assertThat(governor.declineReason(PEER, 1))
        .isEqualTo("outside the off-peak window 01:00-07:00");

    governor.reconfigure(sharing(false, 10, 100, 0.5));
    assertThat(governor.declineReason(PEER, 1)).isEqualTo("sharing is off");
  }

  @Test
  void aPeerIsServedUpToItsCapButNotOneBytePast() {
    SharingOptions caps =
        new SharingOptions(true, 10.0, 2, 100, DailyWindow.ALWAYS, GIB_200, GIB_20, 0.5);
    SharingGovernor governor = governor(caps, 50);
    usage.peers.put(PEER.toString(), GIB_20.bytes() - (1 << 20));
    assertThat(governor.declineReason(PEER, 1 << 20)).isNull();
    assertThat(governor.declineReason(PEER, (1 << 20) + 1))
        .isEqualTo("peer " + PEER + "'s monthly cap of 20GiB reached");
    assertThat(governor.declineReason(PEER, Long.MAX_VALUE))
        .as("no overflow")
        .isEqualTo("monthly cap of 200GiB reached");
  }

  private SharingGovernor governor(SharingOptions sharing, double lineMbps) {
    return new SharingGovernor(sharing, lineMbps, usage, clock);
  }

  private static SharingOptions sharing(
      boolean enabled, double maxRateMbps, int sharePercent, double floorMbps) {
    return new SharingOptions(
        enabled, maxRateMbps, 2, sharePercent, DailyWindow.ALWAYS, null, null, floorMbps);
  }

  private static final class Usage implements SharingUsage {
    final Map<String, Long> peers = new HashMap<>();
    long total;

    @Override
    public long givenThisMonth() {
      return total;
    }

    @Override
    public long givenThisMonth(String peer) {
      return peers.getOrDefault(peer, 0L);
    }
  }

  private static final class RecordingHelper implements HelperControls {
    final List<Long> rates = new ArrayList<>();
    final List<String> updates = new ArrayList<>();

    @Override
    public void limitRate(long bytesPerSecond) {
      rates.add(bytesPerSecond);
    }

    @Override
    public void updateSharing(boolean enabled, double maxRateMbps, int maxConcurrentJobs) {
      updates.add(enabled + " " + maxRateMbps + " " + maxConcurrentJobs);
    }
  }
}
