package io.bamqp.proxy;

import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.HelperOptions;
import io.bamqp.peer.HelperServer;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.session.Neighbors;
import io.bamqp.proxy.stats.StatsServer;
import io.bamqp.proxy.stats.StatsSources;
import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.Identity;
import io.bamqp.security.OwnSockets;
import io.bamqp.security.PeerId;
import io.bamqp.security.TrustedPeers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One bamqp node: the proxy its own LAN clients use, and the helper server on {@code peer.listen}
 * through which trusted neighbors ask it for ranges (declined while {@code sharing.enabled} is
 * off).
 */
public final class Node {
  /** The audit log's folder inside {@code state.dir}. */
  public static final String AUDIT_DIR = "audit";

  private final ProxyServer proxy;
  private final HelperServer helper;
  private final Neighbors neighbors;
  private final StatsServer stats;
  private final Identity identity;
  private final BamqpConfig config;

  private Node(
      ProxyServer proxy,
      HelperServer helper,
      Neighbors neighbors,
      StatsServer stats,
      Identity identity,
      BamqpConfig config) {
    this.proxy = proxy;
    this.helper = helper;
    this.neighbors = neighbors;
    this.stats = stats;
    this.identity = identity;
    this.config = config;
  }

  /**
   * Starts the helper server, then the proxy, then the statistics page (when {@code
   * stats.enabled}); fails if any cannot listen.
   */
  public static Future<Node> start(Vertx vertx, BamqpConfig config) {
    // Key files and socket tables are blocking reads: off the event loop.
    return vertx
        .executeBlocking(() -> Identity.loadOrCreate(config.state().path()), false)
        .compose(identity -> start(vertx, config, identity));
  }

  private static Future<Node> start(Vertx vertx, BamqpConfig config, Identity identity) {
    List<Integer> ports = List.of(config.proxy().listen().port(), config.peer().listen().port());
    Neighbors neighbors =
        new Neighbors(
            vertx,
            (id, address) ->
                HelperLinkOptions.secure(
                    address.host(), address.port(), identity, PeerId.parse(id)));
    neighbors.update(staticNeighbors(config));
    return vertx
        .executeBlocking(() -> OwnSockets.snapshot(ports), false)
        .compose(own -> HelperServer.start(vertx, helperOptions(config, own, identity)))
        .compose(
            helper ->
                ProxyServer.start(vertx, config, neighbors)
                    .compose(
                        proxy ->
                            startStats(vertx, config, proxy)
                                .map(
                                    stats ->
                                        new Node(proxy, helper, neighbors, stats, identity, config))
                                .recover(
                                    failure ->
                                        proxy
                                            .close()
                                            .transform(closed -> Future.failedFuture(failure))))
                    .recover(
                        failure ->
                            Future.join(helper.close(), neighbors.close())
                                .transform(closed -> Future.failedFuture(failure))));
  }

  private static Future<StatsServer> startStats(
      Vertx vertx, BamqpConfig config, ProxyServer proxy) {
    if (!config.stats().enabled()) {
      return Future.succeededFuture(null);
    }
    return StatsServer.start(vertx, config, proxy.downloads(), StatsSources.defaults(config));
  }

  /** The configured static peers that are also trusted, by ID. */
  private static Map<String, Neighbors.Address> staticNeighbors(BamqpConfig config) {
    Map<String, Neighbors.Address> usable = new LinkedHashMap<>();
    for (BamqpConfig.StaticPeer peer : config.peer().usablePeers()) {
      usable.put(
          peer.id().toString(),
          new Neighbors.Address(peer.address().host(), peer.address().port()));
    }
    return usable;
  }

  private static HelperOptions helperOptions(
      BamqpConfig config, OwnSockets own, Identity identity) {
    DestinationPolicy policy = DestinationPolicy.create(config.security().allowDestinations(), own);
    HelperOptions options =
        HelperOptions.secure(policy, identity, TrustedPeers.of(config.peer().trusted()))
            .withAudit(
                config.state().path().resolve(AUDIT_DIR), config.security().auditRetentionDays())
            .withListen(config.peer().listen().host(), config.peer().listen().port())
            .withSharing(
                config.sharing().enabled(),
                config.sharing().maxRateMbps(),
                config.sharing().maxConcurrentJobs());
    return config.wan().bindsSourceAddress()
        ? options.withBindAddress(config.wan().bindAddress())
        : options;
  }

  /**
   * Takes on a reloaded config without a restart: the neighbors ({@code peer.static}, {@code
   * peer.trusted}) and the log level. Downloads in flight keep the neighbors they started with.
   */
  public Future<Void> reconfigure(BamqpConfig config) {
    helper.updateTrusted(Set.copyOf(config.peer().trusted()));
    helper.updateSharing(
        config.sharing().enabled(),
        config.sharing().maxRateMbps(),
        config.sharing().maxConcurrentJobs());
    return neighbors.update(staticNeighbors(config));
  }

  /** The proxy's bound port. */
  public int proxyPort() {
    return proxy.port();
  }

  /** The helper server's bound port. */
  public int peerPort() {
    return helper.port();
  }

  /** The statistics page's bound port; -1 when {@code stats.enabled} is off. */
  public int statsPort() {
    return stats == null ? -1 : stats.port();
  }

  /** This node's peer ID. */
  public PeerId id() {
    return identity.id();
  }

  /** Where this node keeps its identity, audit log and history ({@code state.dir}). */
  public java.nio.file.Path stateDir() {
    return config.state().path();
  }

  /** Peer ID → why it gets no more work, for neighbors caught sending wrong bytes. */
  public Map<String, String> quarantinedPeers() {
    return neighbors.quarantined();
  }

  /** The proxy, for its counters. */
  public ProxyServer proxy() {
    return proxy;
  }

  /** Stops the servers. */
  public Future<Void> close() {
    Future<Void> statsClosed = stats == null ? Future.succeededFuture() : stats.close();
    return Future.join(statsClosed, proxy.close(), helper.close(), neighbors.close()).mapEmpty();
  }
}
