package io.bamqp.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.PeerId;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 45, unit = TimeUnit.SECONDS)
class StaticPeersTest {
  private final PeerId self = TestIds.random();
  private final PeerId peer = TestIds.random();
  private final FakeProbe probe = new FakeProbe();
  private Discovery discovery;
  private TableWatch watch;

  private PeerTable start(Set<PeerId> trusted, StaticPeer... peers) {
    discovery =
        Discovery.start(
            new DiscoveryOptions()
                .setMdns(false)
                .setSelf(self)
                .setTrusted(trusted)
                .setStaticPeers(List.of(peers)),
            probe);
    watch = new TableWatch(discovery.table());
    return discovery.table();
  }

  @AfterEach
  void close() {
    if (discovery != null) {
      discovery.close();
    }
  }

  @Test
  void aStaticPeerWithMdnsOffComesOnlineThroughTheProbe() throws Exception {
    long mdnsThreadsBefore = threadsNamed("bamqp-discovery-mdns");
    probe.answer(peer, true, 20);
    PeerTable table = start(Set.of(peer), new StaticPeer(peer, "127.0.0.1", 7000));

    PeerEntry online = watch.awaitPeer(peer, "online", e -> e.state() == PeerState.ONLINE);

    assertThat(online.source()).isEqualTo(PeerSource.STATIC);
    assertThat(online.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 7000));
    assertThat(online.rtt()).contains(FakeProbe.RTT);
    assertThat(online.offeredRateMbps()).isEqualTo(20);
    assertThat(online.reason()).isEmpty();
    assertThat(table.usable()).extracting(PeerEntry::id).containsExactly(peer);
    assertThat(threadsNamed("bamqp-discovery-mdns")).isEqualTo(mdnsThreadsBefore);
  }

  @Test
  @Tag("timing") // offline within a wall-clock bound
  void aPeerThatStopsAnsweringGoesOfflineAfterTheMissesAndComesBackWhenItAnswers()
      throws Exception {
    probe.answer(peer, true, 10);
    PeerTable table = start(Set.of(peer), new StaticPeer(peer, "127.0.0.1", 7000));
    watch.awaitPeer(peer, "online", e -> e.state() == PeerState.ONLINE);

    long silent = System.nanoTime();
    probe.silence(peer);
    PeerEntry offline = watch.awaitPeer(peer, "offline", e -> e.state() == PeerState.OFFLINE);
    long offlineMillis = (System.nanoTime() - silent) / 1_000_000;

    assertThat(offline.failures()).isEqualTo(DiscoveryOptions.DEFAULT_MISSES_BEFORE_OFFLINE);
    assertThat(offline.reason()).isEqualTo("offline: 2 liveness checks failed");
    assertThat(offline.source()).isEqualTo(PeerSource.STATIC);
    assertThat(table.usable()).isEmpty();
    assertThat(offlineMillis).as("offline within misses x interval + timeout").isLessThan(6_000);
    System.out.printf("static peer offline %d ms after it stopped answering%n", offlineMillis);

    probe.answer(peer, true, 10);
    PeerEntry back = watch.awaitPeer(peer, "back online", e -> e.state() == PeerState.ONLINE);
    assertThat(back.failures()).isZero();
    assertThat(table.usable()).extracting(PeerEntry::id).containsExactly(peer);
  }

  @Test
  void anUntrustedStaticPeerIsNeverProbedUntilTrustedAtRuntimeThenQuarantineTakesItOut()
      throws Exception {
    probe.answer(peer, true, 10);
    PeerTable table = start(Set.of(), new StaticPeer(peer, "127.0.0.1", 7000));
    PeerEntry listed = watch.awaitPeer(peer, "listed", e -> true);
    assertThat(listed.state()).isEqualTo(PeerState.DISCOVERED);
    assertThat(listed.trusted()).isFalse();
    assertThat(listed.reason())
        .isEqualTo("not in peer.trusted — add `- " + peer + "` to peer.trusted to use it");

    table.setTrusted(Set.of(peer));
    watch.awaitPeer(peer, "online once trusted", e -> e.state() == PeerState.ONLINE);
    assertThat(table.usable()).extracting(PeerEntry::id).containsExactly(peer);

    table.quarantine(peer, "bad chunk signature");
    PeerEntry set = table.get(peer).orElseThrow();
    assertThat(set.state()).isEqualTo(PeerState.QUARANTINED);
    assertThat(set.reason()).isEqualTo("quarantined: bad chunk signature");
    assertThat(table.usable()).isEmpty();

    table.release(peer);
    watch.awaitPeer(peer, "online once released", e -> e.state() == PeerState.ONLINE);

    table.setTrusted(Set.of());
    assertThat(table.get(peer).orElseThrow().state()).isEqualTo(PeerState.DISCOVERED);
    assertThat(table.usable()).isEmpty();
  }

  @Test
  void aPeerThatDoesNotShareIsOnlineButNotUsable() throws Exception {
    probe.answer(peer, false, 10);
    PeerTable table = start(Set.of(peer), new StaticPeer(peer, "127.0.0.1", 7000));

    PeerEntry online = watch.awaitPeer(peer, "online", e -> e.state() == PeerState.ONLINE);

    assertThat(online.sharing()).isFalse();
    assertThat(online.reason()).isEqualTo("sharing is off");
    assertThat(table.usable()).isEmpty();
  }

  @Test
  void reloadedStaticPeersMoveAndLeaveWithAnEventEach() throws Exception {
    probe.answer(peer, true, 10);
    PeerTable table = start(Set.of(peer), new StaticPeer(peer, "127.0.0.1", 7000));
    watch.awaitPeer(peer, "online", e -> e.state() == PeerState.ONLINE);

    table.setStaticPeers(List.of(new StaticPeer(peer, "router2.lan", 7001)));
    PeerEntry moved =
        watch.awaitPeer(
            peer,
            "moved",
            e -> e.address().equals(InetSocketAddress.createUnresolved("router2.lan", 7001)));
    assertThat(moved.addresses()).hasSize(1);

    table.setStaticPeers(List.of());
    watch.awaitEvent("removed", e -> e.kind() == PeerEvent.Kind.REMOVED);
    assertThat(table.get(peer)).isEmpty();
    assertThat(watch.eventsFor(peer)).extracting(PeerEvent::kind).endsWith(PeerEvent.Kind.REMOVED);
    assertThat(watch.eventsFor(peer).stream().filter(PeerEvent::addressChanged)).isNotEmpty();
  }

  @Test
  void aMeasuredRateReachesTheTableAndItsListeners() throws Exception {
    probe.answer(peer, true, 10);
    PeerTable table = start(Set.of(peer), new StaticPeer(peer, "127.0.0.1", 7000));
    watch.awaitPeer(peer, "online", e -> e.state() == PeerState.ONLINE);

    table.recordRate(peer, 1_250_000);

    watch.awaitPeer(peer, "measured", e -> e.measuredBytesPerSecond().orElse(0) == 1_250_000);
  }

  @Test
  void closingTwiceIsHarmless() {
    start(Set.of(peer), new StaticPeer(peer, "127.0.0.1", 7000));

    discovery.close();
    discovery.close();

    assertThat(discovery.closeAsync().toCompletableFuture()).isCompleted();
  }

  private static long threadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name))
        .count();
  }
}
