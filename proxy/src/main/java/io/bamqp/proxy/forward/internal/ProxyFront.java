package io.bamqp.proxy.forward.internal;

import io.bamqp.security.LanHost;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * The proxy's front door: admits or refuses each client connection and request, then hands it to a
 * {@link ForwardExchange} or a {@link ConnectTunnel}. Every failure reaches the client through
 * {@link #answer}, the one place that writes the proxy's own responses.
 *
 * <p>Confined to the server's event loop: the counters need no locking.
 */
final class ProxyFront implements Handler<HttpServerRequest> {
  private static final Logger LOG = System.getLogger("io.bamqp.proxy");

  private ProxyContext context;
  private final Set<HttpConnection> overLimit = Collections.newSetFromMap(new IdentityHashMap<>());
  private int openConnections;
  private int port;

  ProxyFront(ProxyContext context) {
    this.context = context;
  }

  /** Counts client connections; those beyond the limit are answered 503 on their first request. */
  void connected(HttpConnection connection) {
    openConnections++;
    if (openConnections > context.options().maxClientConnections()) {
      overLimit.add(connection);
    }
    connection.closeHandler(
        closed -> {
          openConnections--;
          overLimit.remove(connection);
        });
  }

  /** Called once bound: from now on the actual port counts as this node's own. */
  void listeningOn(int port, int peerPort) {
    this.port = port;
    context = context.listeningOn(port, peerPort);
  }

  int openConnections() {
    return openConnections;
  }

  /**
   * Answers a request Vert.x could not decode: ambiguous framing ({@link StrictRequestDecoder})
   * with the proxy's own 400, anything else (oversized target or head) as Vert.x does. Vert.x
   * closes the connection afterwards and handles nothing pipelined behind it.
   */
  void invalid(HttpServerRequest request) {
    if (request.decoderResult().cause() instanceof StrictRequestDecoder.AmbiguousFraming framing) {
      answer(request, ProxyFailure.closing(400, framing.getMessage()), System.nanoTime(), null);
    } else {
      HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
    }
  }

  @Override
  public void handle(HttpServerRequest request) {
    request.pause();
    long started = System.nanoTime();
    RequestTarget target;
    try {
      admit(request);
      target = RequestTarget.of(request);
      if (context.via().loopsThrough(request.headers())) {
        throw ProxyFailure.closing(508, "forwarding loop: the request already passed this proxy");
      }
    } catch (ProxyFailure refused) {
      answer(request, refused, started, null);
      return;
    }
    destination(request, target)
        .compose(
            where -> {
              if (where.ownSocket()) {
                return PacEndpoint.serve(request, target, port);
              }
              return request.method() == HttpMethod.CONNECT
                  ? new ConnectTunnel(context, request, where.target(), where.address()).run()
                  : new ForwardExchange(context, request, where).run();
            })
        .onComplete(
            done -> {
              if (done.succeeded()) {
                log(request, target, request.response().getStatusCode(), done.result(), started);
              } else {
                answer(request, asFailure(done.cause()), started, target);
              }
            });
  }

  private void admit(HttpServerRequest request) {
    if (overLimit.contains(request.connection())) {
      throw ProxyFailure.closing(
          503,
          "too many client connections (proxy.maxClientConnections: "
              + context.options().maxClientConnections()
              + ")");
    }
    String client = request.remoteAddress().hostAddress();
    if (context.options().allowedClients().stream().noneMatch(block -> block.contains(client))) {
      throw ProxyFailure.closing(403, "client " + client + " is not in proxy.allowedClients");
    }
    String transferEncoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
    if (transferEncoding != null
        && !transferEncoding.trim().toLowerCase(Locale.ROOT).equals("chunked")) {
      throw ProxyFailure.closing(400, "unsupported Transfer-Encoding '" + transferEncoding + "'");
    }
    if (transferEncoding != null && request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      // The strict decoder refuses both in every HTTP version (see invalid()): a second guard.
      throw ProxyFailure.closing(400, "request has both Transfer-Encoding and Content-Length");
    }
    if (request.headers().getAll(HttpHeaders.CONTENT_LENGTH).size() > 1) {
      throw ProxyFailure.closing(400, "more than one Content-Length");
    }
  }

  /**
   * Where the request really goes. A request aimed at one of this node's own sockets would loop and
   * is refused, except the proxy's own {@code /fetch?url=} endpoint, which names the URL to fetch
   * (that URL gets the same check; {@code /fetch} answers only to a LAN host, {@link LanHost}), and
   * the PAC file, the one own target that passes (as an own socket): asked of this router on any
   * port, so that WPAD's {@code http://wpad/wpad.dat} works through the port-80 redirect.
   */
  private Future<PinnedTarget> destination(HttpServerRequest request, RequestTarget target) {
    if (target.isFetchEndpoint()
        && context.ownSockets().isOwnPort(target.port())
        && !LanHost.isLan(target.host())) {
      // Judged on the name, before any lookup: a rebinding name need not resolve to this router
      // for the proxy as it does for the victim's browser.
      return Future.failedFuture(
          ProxyFailure.of(
              403,
              "/fetch answers to this router's address, not to '"
                  + target.host()
                  + "' (a guard against DNS rebinding): use its IP address or a .lan/.local name"));
    }
    return Pinning.pin(context, target)
        .compose(
            pinned -> {
              if (PacEndpoint.asks(request, target)
                  && context.ownSockets().isOwnAddress(pinned.address())) {
                return Future.succeededFuture(new PinnedTarget(target, pinned.address(), true));
              }
              if (!pinned.ownSocket()) {
                return Future.succeededFuture(pinned);
              }
              if (request.method() == HttpMethod.GET && target.isFetchEndpoint()) {
                RequestTarget fetched = target.fetchedUrl();
                return Pinning.pin(context, fetched)
                    .compose(
                        inner ->
                            inner.ownSocket()
                                ? Future.failedFuture(loop(fetched))
                                : Future.succeededFuture(inner.forFetch()));
              }
              return Future.failedFuture(loop(target));
            });
  }

  private static ProxyFailure loop(RequestTarget target) {
    return ProxyFailure.of(508, "request targets this proxy itself (" + target.authority() + ")");
  }

  private static ProxyFailure asFailure(Throwable cause) {
    return cause instanceof ProxyFailure failure
        ? failure
        : ProxyFailure.closing(500, "internal error: " + cause.getClass().getSimpleName());
  }

  /** Writes the proxy's own response, or drops the connection if a response already began. */
  private void answer(
      HttpServerRequest request, ProxyFailure failure, long started, RequestTarget target) {
    HttpServerResponse response = request.response();
    if (response.headWritten() || response.closed()) {
      response.reset();
      log(request, target, -1, response.bytesWritten(), started);
      return;
    }
    String body = failure.getMessage() + "\n";
    response.headers().clear();
    response.setChunked(false);
    response
        .setStatusCode(failure.status())
        .setStatusMessage(ProxyFailure.reasonPhrase(failure.status()))
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Bamqp-Error", failure.getMessage().replaceAll("[^\\x20-\\x7e]", "?"));
    if (target != null && target.isFetchEndpoint()) {
      FetchHeaders.guard(response.headers());
    }
    // A request body left unread would stall the connection's next request: close instead.
    boolean close = failure.closeConnection() || !request.isEnded();
    if (close) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    response
        .end(body)
        .onComplete(
            written -> {
              if (close) {
                request.connection().close();
              }
            });
    if (failure.status() >= 500) {
      LOG.log(Level.INFO, "{0} {1}: {2}", failure.status(), request.method(), failure.getMessage());
    }
    log(request, target, failure.status(), 0, started);
  }

  private static void log(
      HttpServerRequest request, RequestTarget target, int status, long bytes, long started) {
    if (LOG.isLoggable(Level.DEBUG)) {
      String where = target == null ? "-" : target.authority() + target.pathForLog();
      long micros = (System.nanoTime() - started) / 1000;
      LOG.log(
          Level.DEBUG,
          "{0} {1} {2} {3} {4}B {5}us",
          request.remoteAddress().hostAddress(),
          request.method(),
          where,
          status < 0 ? "aborted" : Integer.toString(status),
          Long.toString(bytes),
          Long.toString(micros));
    }
  }
}
