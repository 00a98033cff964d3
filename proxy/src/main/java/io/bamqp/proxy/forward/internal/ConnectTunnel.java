package io.bamqp.proxy.forward.internal;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;

/**
 * A {@code CONNECT} tunnel: once the target accepts, the client gets {@code 200} and both
 * directions are relayed byte for byte with back-pressure. The proxy never looks inside (HTTPS
 * stays end-to-end encrypted), so a large download through it is not accelerated: once closed, the
 * tunnel is shown to the {@link io.bamqp.proxy.aggregation.Aggregator}, which records it in the
 * history as such (and the journal gets its verdict line, if it was large); every tunnel's close is
 * a DEBUG line.
 */
final class ConnectTunnel {
  private static final System.Logger LOG = System.getLogger("io.bamqp.proxy");

  private final ProxyContext context;
  private final HttpServerRequest request;
  private final RequestTarget target;
  private final InetAddress address;

  ConnectTunnel(
      ProxyContext context, HttpServerRequest request, RequestTarget target, InetAddress address) {
    this.context = context;
    this.request = request;
    this.target = target;
    this.address = address;
  }

  /** Opens the tunnel; fails with a {@link ProxyFailure} while the client can still be answered. */
  Future<Long> run() {
    if (!context.options().connectPorts().contains(target.port())) {
      return Future.failedFuture(
          ProxyFailure.of(
              403,
              "CONNECT to port "
                  + target.port()
                  + " is not allowed (proxy.connectPorts: "
                  + context.options().connectPorts()
                  + ")"));
    }
    return context
        .tunnelClient()
        .connect(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
        .recover(
            cause -> Future.failedFuture(context.failures().upstream(cause, target.authority())))
        .compose(this::splice);
  }

  private Future<Long> splice(NetSocket origin) {
    long opened = System.nanoTime();
    return request
        .toNetSocket()
        .onFailure(cause -> origin.close())
        .compose(
            client -> {
              ByteTally toClient = new ByteTally(context.ownTraffic().counting(client));
              Future<Void> up = client.pipeTo(origin).onComplete(done -> origin.close());
              Future<Void> down = origin.pipeTo(toClient).onComplete(done -> client.close());
              Future.join(up, down)
                  .onComplete(
                      closed -> {
                        long nanos = System.nanoTime() - opened;
                        LOG.log(
                            System.Logger.Level.DEBUG,
                            "tunnel to {0} closed after {1} ms: {2} B to the client",
                            target.authority(),
                            nanos / 1_000_000,
                            toClient.bytes());
                        context.aggregator().tunnelled(target.authority(), toClient.bytes(), nanos);
                      });
              return Future.succeededFuture(0L);
            });
  }
}
