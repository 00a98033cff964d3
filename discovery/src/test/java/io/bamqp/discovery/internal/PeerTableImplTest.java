package io.bamqp.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bamqp.discovery.LivenessProbe.Probe;
import io.bamqp.discovery.PeerEntry;
import io.bamqp.discovery.PeerEvent;
import io.bamqp.discovery.PeerState;
import io.bamqp.security.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The table's merge rules, driven directly: events are delivered on the calling thread. */
class PeerTableImplTest {
  private static final PeerId SELF = id(0);
  private static final PeerId FRIEND = id(1);
  private final List<PeerEvent> events = new CopyOnWriteArrayList<>();
  private final PeerTableImpl table =
      new PeerTableImpl(SELF, 2, Runnable::run, Clock.systemUTC(), () -> {});

  PeerTableImplTest() {
    table.addListener(events::add);
  }

  @Test
  void aSpooferUnderAnotherNameAddsAnAddressButCannotDisplaceTheRealOne() {
    table.setTrusted(Set.of(FRIEND));
    table.sighted(sighting("bamqp-friend", FRIEND, 7001));
    table.sighted(sighting("spoofer", FRIEND, 6666));
    table.sighted(sighting("spoofer", FRIEND, 6667));

    assertThat(ports(table.get(FRIEND).orElseThrow())).containsExactly(7001, 6667);
  }

  @Test
  void aSpoofersGoodbyeLeavesTheRealAnnouncementStanding() {
    table.setTrusted(Set.of(FRIEND));
    table.sighted(sighting("bamqp-friend", FRIEND, 7001));
    table.sighted(sighting("spoofer", FRIEND, 6666));
    claimAndAnswer(7001);

    table.saidGoodbye(FRIEND, "SPOOFER");

    PeerEntry friend = table.get(FRIEND).orElseThrow();
    assertThat(friend.state()).isEqualTo(PeerState.ONLINE);
    assertThat(ports(friend)).containsExactly(7001);
  }

  @Test
  void theRealGoodbyeMakesATrustedPeerOfflineButKeepsItListed() {
    table.setTrusted(Set.of(FRIEND));
    table.sighted(sighting("bamqp-friend", FRIEND, 7001));
    claimAndAnswer(7001);

    table.saidGoodbye(FRIEND, "bamqp-friend");

    PeerEntry friend = table.get(FRIEND).orElseThrow();
    assertThat(friend.state()).isEqualTo(PeerState.OFFLINE);
    assertThat(friend.reason()).isEqualTo("offline: said goodbye over mDNS");
  }

  @Test
  void anUntrustedPeerThatSaysGoodbyeLeavesTheTable() {
    table.sighted(sighting("bamqp-stranger", FRIEND, 7001));
    table.saidGoodbye(FRIEND, "bamqp-stranger");

    assertThat(table.get(FRIEND)).isEmpty();
    assertThat(events)
        .extracting(PeerEvent::kind)
        .containsExactly(PeerEvent.Kind.ADDED, PeerEvent.Kind.REMOVED);
  }

  @Test
  void aFloodOfMadeUpIdsIsCappedAndItsOwnIdIgnored() {
    for (int i = 1; i <= PeerTableImpl.MAX_UNTRUSTED_PEERS + 10; i++) {
      table.sighted(sighting("flood-" + i, id(i), 7000));
    }
    table.sighted(sighting("echo", SELF, 7000));

    assertThat(table.snapshot()).hasSize(PeerTableImpl.MAX_UNTRUSTED_PEERS);
    assertThat(table.get(SELF)).isEmpty();
  }

  @Test
  void onlyTrustedUnquarantinedPeersAreClaimedForChecks() {
    PeerId stranger = id(2);
    PeerId suspect = id(3);
    table.setTrusted(Set.of(FRIEND, suspect));
    table.sighted(sighting("a", FRIEND, 7001));
    table.sighted(sighting("b", stranger, 7002));
    table.sighted(sighting("c", suspect, 7003));
    table.quarantine(suspect, "bad chunk signature");

    assertThat(table.dueChecks()).extracting(Liveness.Check::id).containsExactly(FRIEND);
    assertThat(table.dueChecks()).as("a check under way is not claimed twice").isEmpty();
  }

  private void claimAndAnswer(int port) {
    assertThat(table.dueChecks()).extracting(Liveness.Check::id).containsExactly(FRIEND);
    table.answered(
        FRIEND,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        new Probe(Duration.ofMillis(1), true, 10));
  }

  private static Sighting sighting(String service, PeerId id, int port) {
    return new Sighting(
        service,
        id,
        List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)),
        true,
        10);
  }

  private static List<Integer> ports(PeerEntry entry) {
    return entry.addresses().stream().map(InetSocketAddress::getPort).toList();
  }

  private static PeerId id(int n) {
    byte[] key = new byte[32];
    key[0] = (byte) n;
    key[1] = (byte) (n >> 8);
    return PeerId.ofPublicKey(key);
  }
}
