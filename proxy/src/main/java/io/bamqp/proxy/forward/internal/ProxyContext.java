package io.bamqp.proxy.forward.internal;

import io.bamqp.proxy.aggregation.Aggregator;
import io.bamqp.proxy.forward.ProxyOptions;
import io.bamqp.proxy.sharing.OwnTraffic;
import io.bamqp.security.DestinationPolicy;
import io.bamqp.security.OwnSockets;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.NetClient;
import java.util.List;

/**
 * What every exchange of one proxy shares: its options, its outgoing clients, the node's lookup
 * pool, its identity.
 */
record ProxyContext(
    Vertx vertx,
    ProxyOptions options,
    HttpClient originClient,
    NetClient tunnelClient,
    WorkerExecutor dns,
    DestinationPolicy.Resolver resolver,
    Failures failures,
    ViaHeader via,
    OwnSockets ownSockets,
    Aggregator aggregator,
    OwnTraffic ownTraffic) {

  /**
   * The same context once the proxy's ports are known; {@code peerPort} is the node's other one.
   */
  ProxyContext listeningOn(List<Integer> ports, int peerPort) {
    List<Integer> own = new java.util.ArrayList<>(ports);
    own.add(peerPort);
    return new ProxyContext(
        vertx,
        options,
        originClient,
        tunnelClient,
        dns,
        resolver,
        failures,
        via,
        ownSockets.withPorts(own),
        aggregator,
        ownTraffic);
  }
}
