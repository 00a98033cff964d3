package io.bamqp.testbed.internal;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Deploys the origin's HTTP server on a context of its own, so every connection, timer and bucket
 * of one origin lives on one event loop whoever starts it.
 *
 * <p>Asked for port 0, the origin takes a free port below the kernel's ephemeral range rather than
 * an ephemeral one. The nodes of a test or the demo listen on ephemeral ports of other loopback
 * addresses, and a node counts its ports on every address as its own (it refuses to fetch from
 * them): an origin on an ephemeral port could, rarely, share a node's port number, and that node
 * would refuse every fetch from it. Below the range, no ephemeral bind can take the origin's
 * number.
 */
public final class OriginVerticle extends VerticleBase {
  /** Where the kernel's ephemeral ports start when it does not say (Linux's default). */
  static final int EPHEMERAL_FIRST_DEFAULT = 32768;

  /** The lowest port tried below the ephemeral range. */
  static final int QUIET_FIRST = 20000;

  /** Random ports tried below the ephemeral range before falling back to an ephemeral one. */
  static final int QUIET_TRIES = 16;

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
    return (port == 0
            ? listenBelowEphemeral(handler, QUIET_TRIES, ephemeralFirst())
            : listen(handler, port))
        .onSuccess(s -> server = s);
  }

  private Future<HttpServer> listen(OriginHandler handler, int onPort) {
    return vertx
        .createHttpServer(serverOptions)
        .requestHandler(handler)
        .connectionHandler(handler::onConnection)
        .listen(onPort, host);
  }

  private Future<HttpServer> listenBelowEphemeral(OriginHandler handler, int tries, int first) {
    if (tries == 0 || first <= QUIET_FIRST) {
      return listen(handler, 0);
    }
    int candidate = ThreadLocalRandom.current().nextInt(QUIET_FIRST, first);
    return listen(handler, candidate)
        .recover(taken -> listenBelowEphemeral(handler, tries - 1, first));
  }

  /** The first ephemeral port, from {@code /proc/sys/net/ipv4/ip_local_port_range}. */
  static int ephemeralFirst() {
    try {
      // One line, "first<TAB>last"; read by lines: procfs reports a size of 0, and a whole-file
      // read may stop short.
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unreadable) {
      return EPHEMERAL_FIRST_DEFAULT;
    }
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
