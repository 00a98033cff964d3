package io.bamqp.proxy;

import io.bamqp.peer.HelperLinkOptions;
import io.bamqp.peer.HelperOptions;
import io.bamqp.peer.HelperServer;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.session.Neighbors;
import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.OwnSockets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bamqp node: the proxy its own LAN clients use, and the helper server on {@code peer.listen}
 * through which trusted neighbors ask it for ranges (declined while {@code sharing.enabled} is
 * off).
 */
public final class Node {
  private final ProxyServer proxy;
  private final HelperServer helper;
  private final Neighbors neighbors;

  private Node(ProxyServer proxy, HelperServer helper, Neighbors neighbors) {
    this.proxy = proxy;
    this.helper = helper;
    this.neighbors = neighbors;
  }

  /** Starts the helper server, then the proxy; fails if either cannot listen. */
  public static Future<Node> start(Vertx vertx, BamqpConfig config) {
    List<Integer> ports = List.of(config.proxy().listen().port(), config.peer().listen().port());
    Neighbors neighbors =
        new Neighbors(vertx, (id, address) -> HelperLinkOptions.of(address.host(), address.port()));
    neighbors.update(staticNeighbors(config));
    return vertx
        .executeBlocking(() -> OwnSockets.snapshot(ports), false)
        .compose(own -> HelperServer.start(vertx, helperOptions(config, own)))
        .compose(
            helper ->
                ProxyServer.start(vertx, config, neighbors)
                    .map(proxy -> new Node(proxy, helper, neighbors))
                    .recover(
                        failure ->
                            Future.join(helper.close(), neighbors.close())
                                .transform(closed -> Future.failedFuture(failure))));
  }

  /** The configured static peers that are also trusted, by ID. */
  private static Map<String, Neighbors.Address> staticNeighbors(BamqpConfig config) {
    Map<String, Neighbors.Address> usable = new LinkedHashMap<>();
    for (BamqpConfig.StaticPeer peer : config.peer().usablePeers()) {
      usable.put(peer.id(), new Neighbors.Address(peer.address().host(), peer.address().port()));
    }
    return usable;
  }

  private static HelperOptions helperOptions(BamqpConfig config, OwnSockets own) {
    DestinationPolicy policy = DestinationPolicy.create(config.security().allowDestinations(), own);
    HelperOptions options =
        HelperOptions.defaults(policy)
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

  /** The proxy, for its counters. */
  public ProxyServer proxy() {
    return proxy;
  }

  /** Stops both servers. */
  public Future<Void> close() {
    return Future.join(proxy.close(), helper.close(), neighbors.close()).mapEmpty();
  }
}
