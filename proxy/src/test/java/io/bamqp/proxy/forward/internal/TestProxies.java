package io.bamqp.proxy.forward.internal;

import io.bamqp.proxy.aggregation.Aggregator;
import io.bamqp.proxy.aggregation.Neighbors;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.forward.ProxyOptions;
import io.bamqp.proxy.forward.ProxyServer;
import io.bamqp.proxy.node.ConfigMapping;
import io.bamqp.proxy.sharing.OwnTraffic;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;

/** A proxy server on 127.0.0.1, an ephemeral port, no neighbors, for the forward tests. */
final class TestProxies {
  private TestProxies() {}

  /**
   * Starts one with {@code yaml} (a config file's text, {@code proxy.listen} set to 127.0.0.1:0 by
   * the caller) on {@code loops} event loops.
   */
  static ProxyServerImpl start(Vertx vertx, String yaml, int loops) {
    BamqpConfig config = ConfigLoader.parse(yaml);
    ProxyOptions options = ConfigMapping.proxy(config).withEventLoops(loops);
    Aggregator aggregator =
        new Aggregator(
            vertx, ConfigMapping.aggregation(config), new Neighbors(vertx, (id, a) -> null));
    return (ProxyServerImpl)
        Await.result(ProxyServer.start(vertx, options, aggregator, OwnTraffic.create(vertx)));
  }
}
