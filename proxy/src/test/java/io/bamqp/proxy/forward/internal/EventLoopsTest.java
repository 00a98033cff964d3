package io.bamqp.proxy.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bamqp.proxy.aggregation.Aggregator;
import io.bamqp.proxy.aggregation.Neighbors;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.proxy.forward.ProxyOptions;
import io.bamqp.proxy.node.ConfigMapping;
import io.bamqp.proxy.sharing.OwnTraffic;
import io.bamqp.testbed.Await;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Client connections are spread over several event loops, each served whole on its own. */
@Timeout(30)
class EventLoopsTest {
  private static final int LOOPS = 4;

  private final Vertx vertx = Vertx.vertx();
  private final List<Socket> clients = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    for (Socket client : clients) {
      client.close();
    }
    Await.result(vertx.close());
  }

  @Test
  void connectionsLandOnEveryLoopAndEachIsServedThere() throws Exception {
    ProxyServerImpl proxy = start("", LOOPS);
    for (int i = 0; i < 2 * LOOPS; i++) {
      clients.add(new Socket("127.0.0.1", proxy.port()));
    }
    await("all connections accepted")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> proxy.openConnections() == 2 * LOOPS);

    // Vert.x hands a shared listener's connections to its instances in turn.
    assertThat(proxy.loopsServing()).hasSize(LOOPS);
    assertThat(proxy.loopsServing()).allMatch(loop -> loop.getName().contains("eventloop"));
    for (Socket client : clients) {
      assertThat(pac(client, proxy.port())).startsWith("HTTP/1.1 200").contains("FindProxyForURL");
    }
  }

  @Test
  void theConnectionLimitHoldsAcrossLoops() throws Exception {
    ProxyServerImpl proxy = start("maxClientConnections: 3\nheaderTimeout: 60s", LOOPS);
    for (int i = 0; i < 3; i++) {
      clients.add(new Socket("127.0.0.1", proxy.port()));
    }
    await("three connections accepted")
        .atMost(Await.DEFAULT_DEADLINE)
        .until(() -> proxy.openConnections() == 3);
    assertThat(proxy.loopsServing()).hasSize(3);
    // None of the three has finished a request, so none may be shed: the fourth, accepted on a
    // fourth loop, still counts the other loops' connections and gets 503.
    Socket fourth = new Socket("127.0.0.1", proxy.port());
    clients.add(fourth);
    assertThat(pac(fourth, proxy.port()))
        .startsWith("HTTP/1.1 503")
        .contains("too many client connections (proxy.maxClientConnections: 3)");
  }

  private ProxyServerImpl start(String proxyKeys, int loops) {
    BamqpConfig config =
        ConfigLoader.parse(
            "proxy:\n  listen: 127.0.0.1:0\n"
                + proxyKeys.indent(2)
                + "security:\n  allowDestinations: [127.0.0.0/8]\n");
    ProxyOptions options = ConfigMapping.proxy(config).withEventLoops(loops);
    Aggregator aggregator =
        new Aggregator(
            vertx, ConfigMapping.aggregation(config), new Neighbors(vertx, (id, a) -> null));
    return (ProxyServerImpl)
        Await.result(
            io.bamqp.proxy.forward.ProxyServer.start(
                vertx, options, aggregator, OwnTraffic.create(vertx)));
  }

  /** Asks for the PAC file on this connection; answers the whole response as text. */
  private static String pac(Socket client, int port) throws IOException {
    OutputStream out = client.getOutputStream();
    out.write(
        ("GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = client.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
  }
}
