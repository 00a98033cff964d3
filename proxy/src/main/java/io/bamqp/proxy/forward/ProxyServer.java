package io.bamqp.proxy.forward;

import io.bamqp.proxy.aggregation.Aggregator;
import io.bamqp.proxy.aggregation.DownloadBoard;
import io.bamqp.proxy.aggregation.SessionReport;
import io.bamqp.proxy.forward.internal.ProxyServerImpl;
import io.bamqp.proxy.sharing.OwnTraffic;
import io.bamqp.security.OwnSockets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * A bamqp node's HTTP proxy: forward (absolute-form), transparent (origin-form with {@code Host})
 * and {@code CONNECT} tunnels, on one listening socket. Each response head is shown to the {@link
 * Aggregator}, which either takes the download over or lets it stream through.
 *
 * <pre>{@code
 * ProxyServer.start(vertx, options, aggregator, OwnTraffic.create(vertx))
 *     .onSuccess(proxy -> System.out.println("proxy on port " + proxy.port()));
 * }</pre>
 */
public interface ProxyServer {

  /**
   * Binds the options' listen address and starts serving; fails if it cannot be bound. Large
   * downloads go to {@code aggregator} (whose neighbors the caller owns and closes); what own
   * clients receive (forwarded bodies, tunnels, aggregated downloads) is counted in {@code
   * ownTraffic}, the meter that makes neighbor work yield.
   */
  static Future<ProxyServer> start(
      Vertx vertx, ProxyOptions options, Aggregator aggregator, OwnTraffic ownTraffic) {
    return vertx
        .executeBlocking(OwnSockets::read, false)
        .compose(own -> start(vertx, options, aggregator, ownTraffic, own));
  }

  /**
   * As {@link #start(Vertx, ProxyOptions, Aggregator, OwnTraffic)}, as one part of a node whose
   * listening sockets and addresses are {@code own}: the proxy registers its port there once bound,
   * and refuses to forward to any of them ({@code security.allowDestinations} opens an address of
   * the node, never its listening ports).
   */
  static Future<ProxyServer> start(
      Vertx vertx,
      ProxyOptions options,
      Aggregator aggregator,
      OwnTraffic ownTraffic,
      OwnSockets own) {
    return ProxyServerImpl.start(vertx, options, aggregator, ownTraffic, own);
  }

  /** The port the first listener actually bound (useful when the config asked for port 0). */
  int port();

  /** Every listener's bound port, in the order of {@code proxy.listen}. */
  java.util.List<Integer> ports();

  /** The meter of what own clients receive through this proxy. */
  OwnTraffic ownTraffic();

  /** Client connections open right now. */
  int openConnections();

  /**
   * Client connections with nothing in flight right now: no request head being read, no answer
   * being sent. A full proxy sheds these, the longest idle first, for a newcomer.
   */
  int idleConnections();

  /** The last aggregated downloads that completed, oldest first. */
  List<SessionReport> recentDownloads();

  /** The large downloads running now and a notice as each ends, for the statistics page. */
  DownloadBoard downloads();

  /** Stops accepting, closes client connections and the origin connection pool. */
  Future<Void> close();
}
