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

/**
 * What every exchange of one proxy shares: its options, its outgoing clients, the node's lookup
 * pool, its identity, the node's own sockets (shared with the node's other parts, which register
 * theirs as they bind).
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
    OwnTraffic ownTraffic) {}
