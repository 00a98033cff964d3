package io.bamqp.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.security.PeerId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real jmdns on 127.0.0.1: several nodes in this JVM announce and browse for each other. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MdnsDiscoveryTest {
  private final LocalNodes nodes = new LocalNodes();
  private final FakeProbe probe = new FakeProbe();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Test
  void threeNodesOnOneHostFindEachOtherWithTheirIdsPortsAndTxt() throws Exception {
    List<PeerId> ids = List.of(TestIds.random(), TestIds.random(), TestIds.random());
    Map<PeerId, Boolean> sharing = Map.of(ids.get(0), true, ids.get(1), false, ids.get(2), true);
    Map<PeerId, Double> rate = Map.of(ids.get(0), 20.0, ids.get(1), 5.0, ids.get(2), 7.5);
    long started = System.nanoTime();
    List<Discovery> three =
        List.of(0, 1, 2).stream()
            .map(
                i ->
                    nodes.start(
                        new DiscoveryOptions()
                            .setSelf(ids.get(i))
                            .setPort(nodes.port(i))
                            .setAdvertisedAddresses(List.of(LocalNodes.LOOPBACK))
                            .setSharing(sharing.get(ids.get(i)))
                            .setRateMbps(rate.get(ids.get(i))),
                        probe))
            .toList();

    for (int i = 0; i < 3; i++) {
      TableWatch watch = new TableWatch(three.get(i).table());
      for (int j = 0; j < 3; j++) {
        if (i == j) {
          continue;
        }
        PeerId other = ids.get(j);
        PeerEntry seen = watch.awaitPeer(other, "announced", e -> true);
        assertThat(seen.addresses())
            .contains(new InetSocketAddress(LocalNodes.LOOPBACK, nodes.port(j)));
        assertThat(seen.source()).isEqualTo(PeerSource.MDNS);
        assertThat(seen.sharing()).isEqualTo(sharing.get(other));
        assertThat(seen.offeredRateMbps()).isEqualTo(rate.get(other));
        assertThat(seen.state()).isEqualTo(PeerState.DISCOVERED);
      }
      assertThat(three.get(i).table().get(ids.get(i))).as("a node never lists itself").isEmpty();
    }
    System.out.printf(
        "three nodes saw each other %d ms after start%n",
        (System.nanoTime() - started) / 1_000_000);
    assertThat(probe.callsFor(ids.get(0))).as("untrusted, so never probed").isEmpty();
  }

  @Test
  void aNodeThatClosesIsOfflineForTheOthersAtOnceAndLeavesUsable() throws Exception {
    PeerId a = TestIds.random();
    PeerId b = TestIds.random();
    PeerId c = TestIds.random();
    Set<PeerId> all = Set.of(a, b, c);
    probe.answer(a, true, 10).answer(b, true, 10).answer(c, true, 10);
    // Checks every 30 s: only the goodbye can make C offline within this test.
    DiscoveryOptions slowChecks =
        new DiscoveryOptions()
            .setAdvertisedAddresses(List.of(LocalNodes.LOOPBACK))
            .setSharing(true)
            .setTrusted(all)
            .setCheckInterval(Duration.ofSeconds(30));
    Discovery nodeA =
        nodes.start(new DiscoveryOptions(slowChecks).setSelf(a).setPort(nodes.port(0)), probe);
    Discovery nodeB =
        nodes.start(new DiscoveryOptions(slowChecks).setSelf(b).setPort(nodes.port(1)), probe);
    Discovery nodeC =
        nodes.start(new DiscoveryOptions(slowChecks).setSelf(c).setPort(nodes.port(2)), probe);
    TableWatch watchA = new TableWatch(nodeA.table());
    TableWatch watchB = new TableWatch(nodeB.table());
    watchA.await("B and C usable", t -> ids(t.usable()).containsAll(Set.of(b, c)));
    watchB.await("A and C usable", t -> ids(t.usable()).containsAll(Set.of(a, c)));

    long closing = System.nanoTime();
    nodeC.closeAsync();
    PeerEntry offlineAtA = watchA.awaitPeer(c, "offline", e -> e.state() == PeerState.OFFLINE);
    long offlineMillis = (System.nanoTime() - closing) / 1_000_000;
    PeerEntry offlineAtB = watchB.awaitPeer(c, "offline", e -> e.state() == PeerState.OFFLINE);

    System.out.printf("a closed node was offline at its neighbors %d ms later%n", offlineMillis);
    for (PeerEntry offline : List.of(offlineAtA, offlineAtB)) {
      assertThat(offline.reason()).isEqualTo("offline: said goodbye over mDNS");
      assertThat(offline.usable()).isFalse();
    }
    assertThat(ids(nodeA.table().usable())).containsExactly(b);
    assertThat(ids(nodeB.table().usable())).containsExactly(a);
    assertThat(nodeC.closeAsync().toCompletableFuture().get(15, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void anUntrustedNeighborIsListedAsDiscoveredButNeverProbedNorUsable() throws Exception {
    PeerId home = TestIds.random();
    PeerId friend = TestIds.random();
    PeerId stranger = TestIds.random();
    probe.answer(friend, true, 10).answer(stranger, true, 10);
    Discovery homeNode = nodes.start(home, nodes.port(0), Set.of(friend), probe);
    nodes.start(friend, nodes.port(1), Set.of(), probe);
    nodes.start(stranger, nodes.port(2), Set.of(home), probe);
    TableWatch watch = new TableWatch(homeNode.table());

    watch.awaitPeer(friend, "online", e -> e.state() == PeerState.ONLINE);
    PeerEntry listed = watch.awaitPeer(stranger, "listed", e -> true);

    assertThat(listed.state()).isEqualTo(PeerState.DISCOVERED);
    assertThat(listed.trusted()).isFalse();
    assertThat(listed.reason())
        .isEqualTo("not in peer.trusted — add `- " + stranger + "` to peer.trusted to use it");
    assertThat(ids(homeNode.table().usable())).containsExactly(friend);
    assertThat(probe.callsFor(stranger)).as("nothing is ever sent to an untrusted peer").isEmpty();
    assertThat(probe.callsFor(friend)).isNotEmpty();
  }

  @Test
  void trustingADiscoveredNeighborAtRuntimePromotesIt() throws Exception {
    PeerId home = TestIds.random();
    PeerId neighbor = TestIds.random();
    probe.answer(neighbor, true, 10);
    Discovery homeNode = nodes.start(home, nodes.port(0), Set.of(), probe);
    nodes.start(neighbor, nodes.port(1), Set.of(), probe);
    TableWatch watch = new TableWatch(homeNode.table());
    watch.awaitPeer(neighbor, "discovered", e -> e.state() == PeerState.DISCOVERED);
    assertThat(probe.callsFor(neighbor)).isEmpty();

    homeNode.table().setTrusted(Set.of(neighbor));

    PeerEntry online = watch.awaitPeer(neighbor, "online", e -> e.state() == PeerState.ONLINE);
    assertThat(online.source()).isEqualTo(PeerSource.MDNS);
    assertThat(online.address())
        .isEqualTo(new InetSocketAddress(LocalNodes.LOOPBACK, nodes.port(1)));
    homeNode.table().quarantine(neighbor, "bad chunk signature");
    assertThat(homeNode.table().usable()).isEmpty();
    assertThat(homeNode.table().get(neighbor).orElseThrow().reason())
        .isEqualTo("quarantined: bad chunk signature");
  }

  @Test
  void anUpdatedAdvertisementReachesNeighborsWithoutAGoodbye() throws Exception {
    PeerId home = TestIds.random();
    PeerId neighbor = TestIds.random();
    Discovery homeNode = nodes.start(home, nodes.port(0), Set.of(), probe);
    Discovery neighborNode = nodes.start(neighbor, nodes.port(1), Set.of(), probe);
    TableWatch watch = new TableWatch(homeNode.table());
    watch.awaitPeer(neighbor, "sharing", PeerEntry::sharing);

    neighborNode.updateAdvertisement(false, 3);

    watch.awaitPeer(
        neighbor, "not sharing at 3 Mbit/s", e -> !e.sharing() && e.offeredRateMbps() == 3);
    assertThat(watch.eventsFor(neighbor)).noneMatch(e -> e.kind() == PeerEvent.Kind.REMOVED);
  }

  static Set<PeerId> ids(List<PeerEntry> entries) {
    return entries.stream().map(PeerEntry::id).collect(Collectors.toSet());
  }
}
