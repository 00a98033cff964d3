package io.bamqp.testbed.internal;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.function.Function;

/**
 * Deploys the origin's HTTP server on a context of its own, so every connection, timer and bucket
 * of one origin lives on one event loop whoever starts it.
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
    return vertx
        .createHttpServer(serverOptions)
        .requestHandler(handler)
        .connectionHandler(handler::onConnection)
        .listen(port, host)
        .onSuccess(s -> server = s);
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
