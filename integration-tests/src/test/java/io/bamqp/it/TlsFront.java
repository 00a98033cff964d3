package io.bamqp.it;

import io.bamqp.testbed.Await;
import io.bamqp.testbed.OriginPorts;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An HTTPS origin in front of the test-bed origin: TLS ends here with a self-signed certificate for
 * {@code localhost}, and each connection goes on to the test-bed origin from the client's own
 * source address, so the origin still gives every router its own shaped line.
 */
final class TlsFront implements AutoCloseable {
  /** The name the certificate is made out to. */
  static final String HOST = "localhost";

  private final Vertx vertx;
  private final SelfSignedCertificate certificate;
  private final Map<String, NetClient> clientsBySource = new ConcurrentHashMap<>();
  private final int originPort;
  private NetServer server;

  private TlsFront(Vertx vertx, SelfSignedCertificate certificate, int originPort) {
    this.vertx = vertx;
    this.certificate = certificate;
    this.originPort = originPort;
  }

  /**
   * Listens on 127.0.0.1 (a free port of {@link OriginPorts}: no node's port) in front of the
   * origin on 127.0.0.1:{@code originPort}, presenting {@code certificate} (made out to {@link
   * #HOST}).
   */
  static TlsFront start(Vertx vertx, SelfSignedCertificate certificate, int originPort)
      throws Exception {
    TlsFront front = new TlsFront(vertx, certificate, originPort);
    front.server =
        Await.result(
            OriginPorts.listen(
                port ->
                    vertx
                        .createNetServer(
                            new NetServerOptions()
                                .setSsl(true)
                                .setKeyCertOptions(front.certificate.keyCertOptions()))
                        .connectHandler(front::relay)
                        .listen(port, "127.0.0.1")));
    return front;
  }

  int port() {
    return server.actualPort();
  }

  /** {@code https://host:port/path} on this front. */
  String url(String host, String path) {
    return "https://" + host + ":" + port() + path;
  }

  private void relay(NetSocket client) {
    client.pause();
    String source = client.remoteAddress().host();
    clientsBySource
        .computeIfAbsent(
            source,
            address -> vertx.createNetClient(new NetClientOptions().setLocalAddress(address)))
        .connect(originPort, "127.0.0.1")
        .onSuccess(
            origin -> {
              client.pipeTo(origin);
              origin.pipeTo(client);
              client.closeHandler(closed -> origin.close());
              origin.closeHandler(closed -> client.close());
            })
        .onFailure(failed -> client.close());
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      Await.result(server.close());
    }
    for (NetClient client : clientsBySource.values()) {
      Await.result(client.close());
    }
  }
}
