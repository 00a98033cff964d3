package io.bamqp.proxy.forward;

import io.bamqp.proxy.aggregation.DownloadBoard;
import io.bamqp.proxy.aggregation.Neighbors;
import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.forward.internal.ProxyServerImpl;
import io.bamqp.proxy.sharing.OwnTraffic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * A bamqp node's HTTP proxy: forward (absolute-form), transparent (origin-form with {@code Host})
 * and {@code CONNECT} tunnels, on one listening socket.
 *
 * <pre>{@code
 * ProxyServer.start(vertx, BamqpConfig.defaults())
 *     .onSuccess(proxy -> System.out.println("proxy on port " + proxy.port()));
 * }</pre>
 */
public interface ProxyServer {

  /**
   * Binds {@code proxy.listen} and starts serving, with no neighbors: large downloads stream
   * through. Fails if the address cannot be bound.
   */
  static Future<ProxyServer> start(Vertx vertx, BamqpConfig config) {
    return start(vertx, config, new Neighbors(vertx, (id, address) -> null));
  }

  /**
   * Binds {@code proxy.listen} and starts serving; large downloads are split across the home line
   * and whichever {@code neighbors} are usable when each starts. The caller owns (and closes) the
   * neighbors.
   */
  static Future<ProxyServer> start(Vertx vertx, BamqpConfig config, Neighbors neighbors) {
    return start(vertx, config, neighbors, OwnTraffic.create(vertx));
  }

  /**
   * Like {@link #start(Vertx, BamqpConfig, Neighbors)}, counting what own clients receive
   * (forwarded bodies, tunnels, aggregated downloads) in {@code ownTraffic}: the meter that makes
   * neighbor work yield.
   */
  static Future<ProxyServer> start(
      Vertx vertx, BamqpConfig config, Neighbors neighbors, OwnTraffic ownTraffic) {
    return ProxyServerImpl.start(vertx, config, neighbors, ownTraffic);
  }

  /** The port actually bound (useful when the config asked for port 0). */
  int port();

  /** The meter of what own clients receive through this proxy. */
  OwnTraffic ownTraffic();

  /** Client connections open right now. */
  int openConnections();

  /** The last aggregated downloads that completed, oldest first. */
  List<SessionReport> recentDownloads();

  /** The large downloads running now and a notice as each ends, for the statistics page. */
  DownloadBoard downloads();

  /** Stops accepting, closes client connections and the origin connection pool. */
  Future<Void> close();
}
