package io.bamqp.proxy.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.discovery.PeerEntry;
import io.bamqp.discovery.PeerEvent;
import io.bamqp.discovery.PeerSource;
import io.bamqp.discovery.PeerState;
import io.bamqp.proxy.LogLines;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NeighborLogTest {
  private final PeerId id = Identity.generate().id();

  @Test
  void aTrustedNeighborComingOnlineAndGoingOfflineIsOneInfoLineEach() {
    NeighborLog neighborLog = new NeighborLog();
    try (LogLines log = LogLines.of("io.bamqp.neighbors")) {
      neighborLog.accept(change(PeerState.TRUSTED, PeerState.ONLINE, true, ""));
      neighborLog.accept(change(PeerState.ONLINE, PeerState.ONLINE, true, ""));
      neighborLog.accept(
          change(PeerState.ONLINE, PeerState.OFFLINE, true, "offline: 2 liveness checks failed"));

      assertThat(log.info())
          .containsExactly(
              "INFO neighbor "
                  + id
                  + " online at 10.0.0.2:7070, sharing up to 20.0 Mbit/s, round trip 3 ms",
              "INFO neighbor " + id + " offline (10.0.0.2:7070): 2 liveness checks failed");
    }
  }

  @Test
  void aFlappingNeighborIsRateLimitedAndAStrangerIsOnlyDebug() {
    NeighborLog neighborLog = new NeighborLog();
    try (LogLines log = LogLines.of("io.bamqp.neighbors")) {
      for (int i = 0; i < 20; i++) {
        neighborLog.accept(change(PeerState.OFFLINE, PeerState.ONLINE, true, ""));
        neighborLog.accept(change(PeerState.ONLINE, PeerState.OFFLINE, true, ""));
      }
      neighborLog.accept(
          new PeerEvent(
              PeerEvent.Kind.ADDED, entry(PeerState.DISCOVERED, false, ""), Optional.empty()));

      assertThat(log.info()).hasSize(NeighborLog.LINES_PER_WINDOW);
      assertThat(log.lines())
          .last()
          .asString()
          .startsWith("FINE peer ")
          .contains("not in peer.trusted");
    }
  }

  private PeerEvent change(PeerState from, PeerState to, boolean trusted, String reason) {
    return new PeerEvent(
        PeerEvent.Kind.CHANGED, entry(to, trusted, reason), Optional.of(entry(from, trusted, "")));
  }

  private PeerEntry entry(PeerState state, boolean trusted, String reason) {
    return new PeerEntry(
        id,
        state,
        PeerSource.STATIC,
        trusted,
        List.of(InetSocketAddress.createUnresolved("10.0.0.2", 7070)),
        true,
        20,
        Optional.of(Duration.ofMillis(3)),
        OptionalLong.empty(),
        0,
        Optional.empty(),
        reason);
  }
}
