package io.bamqp.proxy.forward.internal;

import io.bamqp.proxy.aggregation.Eligibility.Verdict;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.Pipe;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

/**
 * One client request forwarded to its origin and the origin's response streamed back, both bodies
 * piped with back-pressure. Confined to the client connection's event loop.
 */
final class ForwardExchange {
  /** Headers the exchange sets itself instead of copying. */
  private static final Set<String> REQUEST_OWN_HEADERS =
      Set.of("host", "via", "expect", "content-length");

  private static final System.Logger LOG = System.getLogger("io.bamqp.proxy");

  private static final Set<String> RESPONSE_OWN_HEADERS = Set.of("via", "content-length");

  private final ProxyContext context;
  private final HttpServerRequest clientRequest;
  private final RequestTarget userTarget;
  private final boolean fetch;
  private RequestTarget target;
  private InetAddress address;
  private int redirects;
  private boolean closeAfterResponse;
  private RequestOptions originOptions;
  private long sentNanos;

  /**
   * An exchange to a pinned target; a {@linkplain PinnedTarget#fetch() fetch} follows redirects
   * ({@link FetchRedirects}) and gets {@link FetchHeaders}.
   */
  ForwardExchange(ProxyContext context, HttpServerRequest clientRequest, PinnedTarget pinned) {
    this.context = context;
    this.clientRequest = clientRequest;
    this.userTarget = pinned.target();
    this.fetch = pinned.fetch();
    this.target = pinned.target();
    this.address = pinned.address();
  }

  /** Runs the exchange; the future fails with a {@link ProxyFailure} while nothing was sent yet. */
  Future<Long> run() {
    return exchange().compose(this::relay);
  }

  /** One request to the current target; for {@code /fetch}, one per redirect followed. */
  private Future<HttpClientResponse> exchange() {
    RequestOptions options =
        new RequestOptions()
            .setMethod(clientRequest.method())
            .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.tls())
            .setURI(target.pathAndQuery())
            .setFollowRedirects(false)
            .setIdleTimeout(context.options().originTimeout().toMillis())
            .setHeaders(requestHeaders());
    originOptions = options;
    sentNanos = System.nanoTime();
    return context
        .originClient()
        .request(options)
        .recover(
            cause -> Future.failedFuture(context.failures().upstream(cause, target.authority())))
        .compose(this::send)
        .compose(this::followed);
  }

  /** The response itself, or for {@code /fetch} the one at the end of its redirects. */
  private Future<HttpClientResponse> followed(HttpClientResponse response) {
    String location = response.getHeader(HttpHeaders.LOCATION);
    if (!fetch
        || !FetchRedirects.followed(clientRequest.method(), response.statusCode(), location)) {
      return Future.succeededFuture(response);
    }
    RequestTarget next;
    try {
      next = FetchRedirects.next(target, location, redirects);
    } catch (ProxyFailure refused) {
      discard(response);
      return Future.failedFuture(refused);
    }
    redirects++;
    return discard(response)
        .compose(discarded -> Pinning.pinRedirect(context, next))
        .compose(
            pinned -> {
              if (pinned.ownSocket()) {
                return Future.failedFuture(
                    Refusal.OWN_SOCKET.failure(
                        "redirect to "
                            + next.authority()
                            + ": "
                            + pinned.address().getHostAddress()
                            + " is one of this node's own listening sockets"));
              }
              target = next;
              address = pinned.address();
              return exchange();
            });
  }

  /**
   * A redirect's body is not wanted: a short one is read to its end, which keeps the connection for
   * the pool; a long or unsized one costs the connection instead.
   */
  private static Future<Void> discard(HttpClientResponse response) {
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null
        && length.matches("\\d{1,9}")
        && Long.parseLong(length) <= FetchRedirects.MAX_DISCARDED_BODY) {
      return response.end().recover(dropped -> Future.succeededFuture());
    }
    response.request().exceptionHandler(dropped -> {}).reset();
    return Future.succeededFuture();
  }

  private MultiMap requestHeaders() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    HopByHop.copyEndToEnd(clientRequest.headers(), headers, REQUEST_OWN_HEADERS);
    if (!FetchRedirects.sameOrigin(userTarget, target)) {
      // As browsers and curl do: the user's credentials never follow a redirect to another origin.
      headers.remove(HttpHeaders.COOKIE).remove(HttpHeaders.AUTHORIZATION);
    }
    context.via().append(clientRequest.headers(), headers, clientRequest.version());
    return headers;
  }

  private Future<HttpClientResponse> send(HttpClientRequest originRequest) {
    String contentLength = clientRequest.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean chunked = isChunked(clientRequest.getHeader(HttpHeaders.TRANSFER_ENCODING));
    Future<HttpClientResponse> response;
    if (redirects > 0) {
      // The client's body, if any, went with the first request.
      response = originRequest.send();
    } else if (contentLength != null && !chunked) {
      originRequest.putHeader(HttpHeaders.CONTENT_LENGTH, contentLength);
      response = originRequest.send(clientRequest);
    } else if (chunked) {
      // RFC 9112 §6.1: a chunked request may have carried a Content-Length too (the decoder drops
      // it before we see it); the connection's later bytes cannot be trusted, so close it after
      // this exchange instead of reading a request that may have been smuggled inside this body.
      closeAfterResponse = true;
      originRequest.setChunked(true);
      response = originRequest.send(clientRequest);
    } else {
      clientRequest.resume();
      response = originRequest.send();
    }
    // A broken request body (bad chunk, early close) closes the client connection in the decoder,
    // so there is nobody left to answer; every failure here that can be answered is the origin's.
    return response.recover(
        cause -> Future.failedFuture(context.failures().upstream(cause, target.authority())));
  }

  private Future<Long> relay(HttpClientResponse originResponse) {
    HttpServerResponse clientResponse = clientRequest.response();
    clientResponse.setStatusCode(originResponse.statusCode());
    clientResponse.setStatusMessage(originResponse.statusMessage());
    HopByHop.copyEndToEnd(originResponse.headers(), clientResponse.headers(), RESPONSE_OWN_HEADERS);
    context
        .via()
        .append(originResponse.headers(), clientResponse.headers(), originResponse.version());

    String length = originResponse.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean head = clientRequest.method() == HttpMethod.HEAD;
    if (length != null && (head || hasBody(originResponse.statusCode()))) {
      clientResponse.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else if (!head && hasBody(originResponse.statusCode())) {
      if (clientRequest.version() == HttpVersion.HTTP_1_0) {
        // No chunked coding in HTTP/1.0: the body ends when the connection closes.
        closeAfterResponse = true;
      } else {
        clientResponse.setChunked(true);
      }
    }
    if (closeAfterResponse) {
      clientResponse.putHeader(HttpHeaders.CONNECTION, "close");
    }
    if (fetch) {
      FetchHeaders.apply(clientResponse.headers(), target);
    }

    Verdict verdict =
        context
            .aggregator()
            .judge(
                clientRequest.method(),
                target.host(),
                target.pathAndQuery(),
                redirects > 0 ? userTarget.pathAndQuery() : null,
                clientRequest.headers(),
                originResponse.statusCode(),
                originResponse.headers());
    if (!verdict.eligible() && LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0}{1} streams through: {2}",
          target.authority(),
          target.pathForLog(),
          verdict.reason());
    }
    if (verdict.eligible()) {
      Runnable counted = context.ownTraffic().follow(clientResponse::bytesWritten);
      return context
          .aggregator()
          .run(
              verdict,
              clientResponse,
              originResponse,
              context.originClient(),
              originOptions,
              System.nanoTime() - sentNanos,
              target.absoluteUrl(),
              target.authority() + target.pathForLog())
          .onComplete(done -> counted.run())
          .onSuccess(
              done -> {
                if (closeAfterResponse) {
                  clientRequest.connection().close();
                }
              })
          .recover(
              cause ->
                  Future.failedFuture(
                      ProxyFailure.closing(502, "download abandoned: " + cause.getMessage())));
    }

    Pipe<Buffer> pipe = originResponse.pipe().endOnFailure(false);
    return pipe.to(context.ownTraffic().counting(clientResponse))
        .onComplete(
            done ->
                context
                    .aggregator()
                    .streamedThrough(
                        clientRequest.method(),
                        originResponse.statusCode(),
                        target.authority() + target.pathForLog(),
                        verdict.reason(),
                        length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : -1,
                        clientResponse.bytesWritten(),
                        System.nanoTime() - sentNanos,
                        done.succeeded()))
        .onSuccess(
            done -> {
              if (closeAfterResponse) {
                clientRequest.connection().close();
              }
            })
        .map(done -> clientResponse.bytesWritten())
        .onFailure(
            cause -> {
              // A truncated or aborted body must never look complete: reset both sides, so the
              // client sees the connection drop and the origin connection is not reused.
              originResponse.request().reset();
              clientResponse.reset();
            })
        .recover(
            cause ->
                Future.failedFuture(
                    ProxyFailure.closing(502, "body relay aborted: " + cause.getMessage())));
  }

  private static boolean hasBody(int status) {
    return status >= 200 && status != 204 && status != 304;
  }

  private static boolean isChunked(String transferEncoding) {
    return transferEncoding != null
        && transferEncoding.toLowerCase(Locale.ROOT).trim().endsWith("chunked");
  }
}
