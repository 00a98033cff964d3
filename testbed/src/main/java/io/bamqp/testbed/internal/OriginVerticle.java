package io.bamqp.testbed.internal;

import io.bamqp.testbed.OriginPorts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.function.Function;

/**
 * Deploys the origin's HTTP server on a context of its own, so every connection, timer and bucket
 * of one origin lives on one event loop whoever starts it. Asked for port 0, it listens on one of
 * {@link OriginPorts}.
 */
public final class OriginVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final HttpServerOptions serverOptions;
  private final Function<io.vertx.core.Vertx, OriginHandler> handlerFactory;
  private volatile HttpServer server;

  /**
   * {@code serverOptions}: TLS or not; the address and port come from {@code host} and {@code
   * port}.
   */
  public OriginVerticle(
      String host,
      int port,
      HttpServerOptions serverOptions,
      Function<io.vertx.core.Vertx, OriginHandler> handlerFactory) {
    this.host = host;
    this.port = port;
    this.serverOptions = new HttpServerOptions(serverOptions);
    this.handlerFactory = handlerFactory;
  }

  @Override
  public Future<?> start() {
    OriginHandler handler = handlerFactory.apply(vertx);
    return (port == 0 ? OriginPorts.listen(quiet -> listen(handler, quiet)) : listen(handler, port))
        .onSuccess(s -> server = s);
  }

  private Future<HttpServer> listen(OriginHandler handler, int onPort) {
    return vertx
        .createHttpServer(serverOptions)
        .requestHandler(handler)
        .connectionHandler(handler::onConnection)
        .listen(onPort, host);
  }

  @Override
  public Future<?> stop() {
    HttpServer s = server;
    return s == null ? Future.succeededFuture() : s.close();
  }

  /** The bound port, or -1 before the server listens. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }
}
