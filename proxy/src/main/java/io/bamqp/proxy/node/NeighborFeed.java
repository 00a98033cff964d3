package io.bamqp.proxy.node;

import io.bamqp.discovery.Discovery;
import io.bamqp.discovery.DiscoveryOptions;
import io.bamqp.discovery.LanAddresses;
import io.bamqp.discovery.LivenessProbe;
import io.bamqp.discovery.PeerEntry;
import io.bamqp.discovery.PeerSource;
import io.bamqp.discovery.PeerState;
import io.bamqp.discovery.StaticPeer;
import io.bamqp.peer.HelperLink;
import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.proxy.aggregation.Neighbors;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.sharing.Balance;
import io.bamqp.proxy.sharing.Ledger;
import io.bamqp.proxy.stats.PeerDirectory;
import io.bamqp.proxy.stats.PeerView;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who this node's neighbors are right now: discovery's peer table (mDNS sightings and {@code
 * peer.static}, trust from {@code peer.trusted}, liveness checked by pinging over the peer link)
 * turned into the {@link Neighbors} that downloads may use, and into the statistics page's peer
 * list. A quarantine found by a download goes back into the table.
 */
public final class NeighborFeed implements PeerDirectory {
  private static final System.Logger LOG = System.getLogger("io.bamqp.discovery");

  private final Vertx vertx;
  private final Identity identity;
  private final Neighbors neighbors;
  private final Ledger ledger;
  private final Discovery discovery;

  /**
   * One link per peer ID and address for liveness pings, so a check is not a new TLS handshake.
   * Keyed by both: a link is pinned to one ID, and another peer at the same address (a replaced
   * router, or an mDNS announcement claiming someone else's address) must get its own.
   */
  private final Map<String, HelperLink> pingLinks = new ConcurrentHashMap<>();

  private NeighborFeed(
      Vertx vertx,
      Identity identity,
      Neighbors neighbors,
      Ledger ledger,
      DiscoveryOptions options) {
    this.vertx = vertx;
    this.identity = identity;
    this.neighbors = neighbors;
    this.ledger = ledger;
    this.discovery = Discovery.start(options, this::ping);
    discovery.table().addListener(event -> publish());
    discovery.table().addListener(new NeighborLog());
    neighbors.onQuarantine((id, reason) -> discovery.table().quarantine(PeerId.parse(id), reason));
    neighbors.onMeasured((id, rate) -> discovery.table().recordRate(PeerId.parse(id), rate));
    publish();
  }

  /**
   * Starts discovery for {@code config} and keeps {@code neighbors} current. Blocking (mDNS
   * responders and interface lists): call it off the event loop.
   *
   * @param peerPort the helper server's bound port, announced over mDNS
   */
  public static NeighborFeed start(
      Vertx vertx,
      BamqpConfig config,
      Identity identity,
      Neighbors neighbors,
      Ledger ledger,
      int peerPort) {
    DiscoveryOptions options =
        new DiscoveryOptions()
            .setSelf(identity.id())
            .setPort(peerPort)
            .setSharing(config.sharing().enabled())
            .setRateMbps(config.sharing().rateMbps(config.wan().lineRateMbps()))
            .setStaticPeers(staticPeers(config))
            .setTrusted(config.peer().trusted());
    boolean mdns = config.discovery().mdns();
    if (mdns) {
      List<InetAddress> lan =
          LanAddresses.choose(config.discovery().advertiseAddresses(), config.wan().bindAddress());
      if (lan.isEmpty()) {
        LOG.log(
            Level.WARNING,
            "mDNS is off: this machine has no private (LAN-side) IPv4 address to announce on;"
                + " list one in discovery.advertiseAddresses");
        mdns = false;
      } else {
        options.setAdvertisedAddresses(lan);
      }
    }
    options.setMdns(mdns);
    return new NeighborFeed(vertx, identity, neighbors, ledger, options);
  }

  /** Takes on a reloaded config: trusted IDs, static peers, what this node announces. */
  public void reconfigure(BamqpConfig config) {
    discovery.table().setTrusted(java.util.Set.copyOf(config.peer().trusted()));
    discovery.table().setStaticPeers(staticPeers(config));
    discovery.updateAdvertisement(
        config.sharing().enabled(), config.sharing().rateMbps(config.wan().lineRateMbps()));
  }

  /**
   * Hands the usable peers to the neighbors. A trusted static peer not checked yet counts too: its
   * first liveness check may still be under way, and an offer to it fails fast if it is down.
   */
  private void publish() {
    Map<String, Neighbors.Address> usable = new LinkedHashMap<>();
    for (PeerEntry peer : discovery.table().snapshot()) {
      boolean unchecked =
          peer.state() == PeerState.TRUSTED && peer.source() != PeerSource.MDNS && peer.sharing();
      if (peer.usable() || unchecked) {
        InetSocketAddress address = peer.address();
        usable.put(
            peer.id().toString(),
            new Neighbors.Address(address.getHostString(), address.getPort()));
      }
    }
    neighbors.update(usable);
  }

  private CompletionStage<LivenessProbe.Probe> ping(PeerId id, InetSocketAddress address) {
    HelperLink link =
        pingLinks.computeIfAbsent(
            id + "@" + address,
            key ->
                HelperLink.create(
                    vertx,
                    HelperLinkOptions.builder(
                            address.getHostString(), address.getPort(), identity, id)
                        .build()));
    return link.ping()
        .map(
            result ->
                new LivenessProbe.Probe(
                    result.roundTrip(),
                    result.answer().sharing(),
                    result.answer().rateBytesPerSec() * 8 / 1e6))
        .toCompletionStage();
  }

  @Override
  public List<PeerView> peers() {
    Map<String, String> quarantined = neighbors.quarantined();
    List<PeerView> views = new ArrayList<>();
    for (PeerEntry peer : discovery.table().snapshot()) {
      String id = peer.id().toString();
      Balance balance = ledger.snapshot().balance(Ledger.key(peer.id()));
      String note = quarantined.getOrDefault(id, peer.reason().isEmpty() ? null : peer.reason());
      views.add(
          new PeerView(
              id,
              quarantined.containsKey(id)
                  ? "quarantined"
                  : peer.state().name().toLowerCase(java.util.Locale.ROOT),
              peer.address().getHostString() + ":" + peer.address().getPort(),
              peer.trusted(),
              peer.offeredRateMbps() > 0 ? (long) (peer.offeredRateMbps() * 125_000) : -1,
              peer.measuredBytesPerSecond().orElse(-1),
              peer.rtt().map(rtt -> rtt.toMillis()).orElse(-1L),
              peer.failures(),
              balance.given(),
              balance.received(),
              peer.lastSeen().map(seen -> seen.toEpochMilli()).orElse(null),
              note));
    }
    return views;
  }

  /** Stops discovery (with mDNS goodbyes) and the ping links. Blocking up to a few seconds. */
  public Future<Void> close() {
    return Future.fromCompletionStage(discovery.closeAsync())
        .eventually(
            () ->
                Future.join(pingLinks.values().stream().map(HelperLink::close).toList())
                    .mapEmpty());
  }

  private static List<StaticPeer> staticPeers(BamqpConfig config) {
    return config.peer().staticPeers().stream()
        .map(peer -> new StaticPeer(peer.id(), peer.address().host(), peer.address().port()))
        .toList();
  }
}
