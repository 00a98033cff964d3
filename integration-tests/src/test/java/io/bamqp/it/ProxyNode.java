package io.bamqp.it;

import io.bamqp.proxy.aggregation.Aggregator;
import io.bamqp.proxy.aggregation.Neighbors;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.forward.ProxyServer;
import io.bamqp.proxy.node.ConfigMapping;
import io.bamqp.proxy.sharing.OwnTraffic;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;

/** A proxy started in this JVM from YAML, on an ephemeral loopback port. */
final class ProxyNode implements AutoCloseable {
  private static final int EVENT_LOOPS = 3;

  private final ProxyServer server;

  private ProxyNode(ProxyServer server) {
    this.server = server;
  }

  /** Starts a proxy with extra {@code proxy.*} keys; it always listens on 127.0.0.1:0. */
  static ProxyNode start(Vertx vertx, String proxyKeys) throws Exception {
    return startWith(vertx, proxyKeys, "");
  }

  /**
   * Starts a proxy with extra {@code proxy.*} keys and other top-level sections. The test origins
   * live on this machine's loopback, which a proxy refuses to reach unless the owner opens it: the
   * tests open it the documented way, with {@code security.allowDestinations}.
   */
  static ProxyNode startWith(Vertx vertx, String proxyKeys, String otherSections) throws Exception {
    String security =
        otherSections.contains("security:")
            ? ""
            : "security:\n  allowDestinations: [127.0.0.0/8]\n";
    String yaml =
        "proxy:\n  listen: 127.0.0.1:0\n" + proxyKeys.indent(2) + otherSections + security;
    BamqpConfig config = ConfigLoader.parse(yaml);
    Aggregator noNeighbors =
        new Aggregator(
            vertx, ConfigMapping.aggregation(config), new Neighbors(vertx, (id, address) -> null));
    // Several event loops whatever the machine's cores: every test's limits hold across them.
    return new ProxyNode(
        Await.result(
            ProxyServer.start(
                vertx,
                ConfigMapping.proxy(config).withEventLoops(EVENT_LOOPS),
                noNeighbors,
                OwnTraffic.create(vertx))));
  }

  int port() {
    return server.port();
  }

  ProxyServer server() {
    return server;
  }

  @Override
  public void close() {
    Await.result(server.close());
  }
}
