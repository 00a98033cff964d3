package io.bamqp.proxy.forward.internal;

import io.bamqp.security.HostPort;
import io.bamqp.security.LanHost;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers {@code GET}/{@code HEAD} of {@link PacFile#PATHS} asked of this router itself. The file
 * names the proxy by the host the browser used, so it works on whichever interface the browser
 * reached; that host must be an IP literal or a LAN name, so a public name re-pointed at the router
 * (DNS rebinding) gets nothing.
 */
final class PacEndpoint {
  private PacEndpoint() {}

  /** Whether {@code request} asks for the PAC file (if it is asked of this router). */
  static boolean asks(HttpServerRequest request, RequestTarget target) {
    HttpMethod method = request.method();
    return (method == HttpMethod.GET || method == HttpMethod.HEAD)
        && PacFile.isAsked(target.pathAndQuery());
  }

  /**
   * Sends the file; fails with a {@link ProxyFailure} (403) for a host that is not the router's.
   *
   * @param proxyPort the port the proxy listens on
   * @return the body's length
   */
  static Future<Long> serve(HttpServerRequest request, RequestTarget target, int proxyPort) {
    HostPort proxy;
    try {
      proxy = proxyAsReached(target, proxyPort);
    } catch (ProxyFailure refused) {
      return Future.failedFuture(refused);
    }
    Buffer body = Buffer.buffer(PacFile.script(proxy));
    request.resume();
    return request
        .response()
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, PacFile.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
        .end(request.method() == HttpMethod.HEAD ? Buffer.buffer() : body)
        .map(written -> (long) body.length());
  }

  /**
   * The proxy as the browser reached it: the request's host and the proxy's port.
   *
   * @throws ProxyFailure 403 when the host is a public name (or an IPv6 zone)
   */
  static HostPort proxyAsReached(RequestTarget target, int proxyPort) {
    HostPort proxy = HostPort.of(target.host(), proxyPort);
    if (!LanHost.isLan(target.host()) || proxy.hasZone()) {
      throw ProxyFailure.of(
          403,
          "the PAC file answers to this router's address, not to '"
              + target.host()
              + "' (a guard against DNS rebinding): use its IP address or a .lan/.local name");
    }
    return proxy;
  }
}
