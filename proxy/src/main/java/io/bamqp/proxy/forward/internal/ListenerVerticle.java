package io.bamqp.proxy.forward.internal;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One event loop's share of the proxy: every listener bound again on this verticle's loop. Vert.x
 * shares each listening socket among the instances of a deployment and hands accepted connections
 * to them in turn, so a connection, its exchanges and its download sessions live on the loop of the
 * instance that accepted it; the {@link ProxyFront} they share is thread-safe. Port 0 would give
 * each instance a free port of its own (and Vert.x's negative ports share one free port among every
 * server of the same Vert.x instance, other nodes' included), so the first instance binds alone and
 * the others are given the ports it got.
 */
final class ListenerVerticle extends VerticleBase {
  private final List<HttpServerOptions> listeners;
  private final ProxyFront front;
  private final List<HttpServer> servers = new ArrayList<>();

  ListenerVerticle(List<HttpServerOptions> listeners, ProxyFront front) {
    this.listeners = listeners;
    this.front = front;
  }

  @Override
  public Future<?> start() {
    List<Future<HttpServer>> bound = new ArrayList<>();
    for (HttpServerOptions options : listeners) {
      HttpServer server = vertx.createHttpServer(options);
      servers.add(server);
      server
          .connectionHandler(connection -> front.connected(connection, options))
          .invalidRequestHandler(front::invalid)
          .requestHandler(front);
      bound.add(server.listen());
    }
    return Future.all(bound);
  }

  /** The ports bound, in the order of the listeners (the same for every instance). */
  List<Integer> ports() {
    return servers.stream().map(HttpServer::actualPort).toList();
  }
}
