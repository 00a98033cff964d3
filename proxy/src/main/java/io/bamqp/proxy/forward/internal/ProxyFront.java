package io.bamqp.proxy.forward.internal;

import io.bamqp.peer.RateLimitedLog;
import io.bamqp.security.LanHost;
import io.bamqp.security.RefusalLog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The proxy's front door: admits or refuses each client connection and request, then hands it to a
 * {@link ForwardExchange} or a {@link ConnectTunnel}. Every failure reaches the client through
 * {@link #answer}, the one place that writes the proxy's own responses to requests; the only other
 * is the 408 for a head that never arrived whole ({@link ClientConnection}), where no request
 * exists to answer.
 *
 * <p>Each connection's own state ({@link ClientConnection}) stays on its event loop; what the
 * connections share (the slots, the count, the map from connection to state) is thread-safe, so
 * that connections may be spread over several loops.
 */
final class ProxyFront implements Handler<HttpServerRequest> {
  private static final Logger LOG = System.getLogger("io.bamqp.proxy");
  private static final RefusalLog REFUSALS = new RefusalLog("io.bamqp.proxy");

  private final ProxyContext context;
  private final ClientSlots slots;
  private final Map<HttpConnection, ClientConnection> clients = new ConcurrentHashMap<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final RateLimitedLog failures;
  private volatile int port;

  ProxyFront(ProxyContext context) {
    this.context = context;
    this.slots =
        new ClientSlots(
            context.options().maxClientConnections(), context.options().maxConnectionsPerClient());
    // A 5xx answer is one line at INFO; a flood of refused connections must not make it thousands.
    this.failures = new RateLimitedLog(context.vertx(), LOG, Level.INFO, "proxy error answers");
  }

  /**
   * Takes a new client connection: gives it a slot (shedding the longest-idle connection if the
   * limits are reached; with none idle it is answered 503 on its first request), puts the strict
   * decoder in place and starts the deadline on its first request head.
   */
  void connected(HttpConnection connection, HttpServerOptions serverOptions) {
    ClientSlots.Admission admission =
        slots.admit(connection.remoteAddress().hostAddress(), connection::close);
    ClientConnection client =
        new ClientConnection(connection, slots, admission, context.options().headerTimeout());
    clients.put(connection, client);
    openConnections.incrementAndGet(); // after the put: a count seen means the map has it
    connection.closeHandler(
        closed -> {
          openConnections.decrementAndGet();
          clients.remove(connection);
          client.closed();
        });
    if (StrictRequestDecoder.install(connection, serverOptions, client)) {
      client.accepted();
    }
    admission.closeShed();
  }

  /** Called once bound (the port is registered among the node's own by then). */
  void listeningOn(int port) {
    this.port = port;
  }

  int openConnections() {
    return openConnections.get();
  }

  int idleConnections() {
    return slots.idle();
  }

  /** The event loops the open client connections live on. */
  Set<Thread> loopsServing() {
    return clients.values().stream().map(ClientConnection::loop).collect(Collectors.toSet());
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
    ClientConnection client = clients.get(request.connection());
    if (client != null) {
      request.response().endHandler(ended -> client.responseEnded());
    }
    RequestTarget target;
    try {
      admit(request, client);
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

  private void admit(HttpServerRequest request, ClientConnection connection) {
    if (connection != null && connection.refusal() != null) {
      throw ProxyFailure.closing(503, connection.refusal());
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
   * Where the request really goes. A request aimed at one of this node's own listening sockets (the
   * proxy, the peer port, the statistics page: on any address of the node) would loop or reach the
   * node's insides and is refused, whatever {@code security.allowDestinations} opens, except the
   * proxy's own {@code /fetch?url=} endpoint, which names the URL to fetch (that URL gets the same
   * check; {@code /fetch} answers only to a LAN host, {@link LanHost}), and the PAC file, the one
   * own target that passes (as an own socket): asked of this router on any port, so that WPAD's
   * {@code http://wpad/wpad.dat} works through the port-80 redirect.
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
    return Pinning.pin(context, target, PacEndpoint.asks(request, target))
        .compose(
            pinned -> {
              if (!pinned.ownSocket() || PacEndpoint.asks(request, target)) {
                return Future.succeededFuture(pinned);
              }
              if (request.method() == HttpMethod.GET && target.isFetchEndpoint()) {
                RequestTarget fetched = target.fetchedUrl();
                return Pinning.pin(context, fetched, false)
                    .compose(
                        inner ->
                            inner.ownSocket()
                                ? Future.failedFuture(loop(fetched))
                                : Future.succeededFuture(inner.forFetch()));
              }
              return Future.failedFuture(loop(target));
            });
  }

  private ProxyFailure loop(RequestTarget target) {
    if (context.options().cdnDomains().serviceOf(target.host()).isPresent()) {
      // DNS mode: the node asked a resolver that points the CDN name at the node itself.
      return ProxyFailure.of(
          508,
          "forwarding loop: "
              + target.host()
              + " resolves to this node; set wan.dnsServers to resolvers that give its real"
              + " address");
    }
    return ProxyFailure.of(
        508, "request targets this node's own listening socket (" + target.authority() + ")");
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
    if (failure.detail() != null) {
      REFUSALS.refused(request.remoteAddress().hostAddress() + " " + failure.detail());
    } else if (failure.status() >= 500) {
      failures.log(failure.status() + " " + request.method() + ": " + failure.getMessage());
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
