package io.bamqp.proxy.forward.internal;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/**
 * Where a client's request is going: an origin's host and port, and the origin-form path to send
 * it. Built from the three request-target forms a proxy meets (RFC 9112 §3.2): absolute-form (a
 * forward proxy client), origin-form plus {@code Host} (a router redirecting port 80 here:
 * transparent mode) and authority-form ({@code CONNECT}).
 */
record RequestTarget(String host, int port, String pathAndQuery, boolean tls) {
  private static final int HTTP_PORT = 80;
  private static final int HTTPS_PORT = 443;

  /** The path of the proxy's own endpoint that fetches {@code ?url=https://...} explicitly. */
  static final String FETCH_PATH = "/fetch";

  /** A plain-HTTP target. */
  RequestTarget(String host, int port, String pathAndQuery) {
    this(host, port, pathAndQuery, false);
  }

  /** The URL the target names, as a neighbor would be asked to fetch it. */
  String absoluteUrl() {
    int defaultPort = tls ? HTTPS_PORT : HTTP_PORT;
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (tls ? "https://" : "http://")
        + (port == defaultPort ? name : name + ":" + port)
        + pathAndQuery;
  }

  /** Whether this request asks the proxy's own {@code /fetch} endpoint. */
  boolean isFetchEndpoint() {
    return pathAndQuery.startsWith(FETCH_PATH + "?");
  }

  /**
   * The URL that a {@code /fetch?url=...} request names: the proxy fetches it itself, over TLS with
   * the certificate and host name verified when it is {@code https}.
   */
  RequestTarget fetchedUrl() {
    String query = pathAndQuery.substring(FETCH_PATH.length() + 1);
    for (String parameter : query.split("&")) {
      if (parameter.startsWith("url=")) {
        String url =
            java.net.URLDecoder.decode(
                parameter.substring(4), java.nio.charset.StandardCharsets.UTF_8);
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
          RequestTarget inner = absoluteForm(url.substring("https://".length()), HTTPS_PORT);
          return new RequestTarget(inner.host(), inner.port(), inner.pathAndQuery(), true);
        }
        if (lower.startsWith("http://")) {
          return absoluteForm(url.substring("http://".length()), HTTP_PORT);
        }
        throw ProxyFailure.of(400, "/fetch takes an http:// or https:// URL");
      }
    }
    throw ProxyFailure.of(400, "/fetch needs ?url=<an http:// or https:// URL, URL-encoded>");
  }

  /** {@code host:port} as written in logs and error messages, without path or query. */
  String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The path without its query, for logs that must not carry query strings. */
  String pathForLog() {
    int query = pathAndQuery.indexOf('?');
    return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query) + "?…";
  }

  static RequestTarget of(HttpServerRequest request) {
    return of(request.method(), request.uri(), request.headers().get("host"));
  }

  /** The target of a request with this method, request-target and {@code Host} header. */
  static RequestTarget of(HttpMethod method, String uri, String host) {
    if (method == HttpMethod.CONNECT) {
      return authorityForm(uri);
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://")) {
      return absoluteForm(uri.substring("http://".length()), HTTP_PORT);
    }
    if (lower.startsWith("https://")) {
      throw ProxyFailure.of(400, "https:// URLs go through CONNECT, not as a plain request");
    }
    if (lower.contains("://")) {
      throw ProxyFailure.of(400, "only http:// URLs can be proxied");
    }
    if (!uri.startsWith("/")) {
      throw ProxyFailure.of(400, "request target '" + uri + "' is not a URL or a path");
    }
    if (host == null || host.isBlank()) {
      throw ProxyFailure.of(400, "origin-form request without a Host header");
    }
    HostPort authority = HostPort.parse(host.trim(), HTTP_PORT);
    return new RequestTarget(authority.host(), authority.port(), uri);
  }

  private static RequestTarget absoluteForm(String rest, int defaultPort) {
    int end = 0;
    while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    String authority = rest.substring(0, end);
    if (authority.indexOf('@') >= 0) {
      throw ProxyFailure.of(400, "URLs with user information are refused");
    }
    HostPort hostPort = HostPort.parse(authority, defaultPort);
    String path = rest.substring(end);
    int fragment = path.indexOf('#');
    if (fragment >= 0) {
      path = path.substring(0, fragment);
    }
    if (path.isEmpty() || path.startsWith("?")) {
      path = "/" + path;
    }
    return new RequestTarget(hostPort.host(), hostPort.port(), path);
  }

  private static RequestTarget authorityForm(String uri) {
    HostPort hostPort = HostPort.parse(uri, -1);
    if (hostPort.port() < 0) {
      throw ProxyFailure.of(400, "CONNECT needs host:port, got '" + uri + "'");
    }
    return new RequestTarget(hostPort.host(), hostPort.port(), "");
  }

  /** A host and port parsed from an authority; IPv6 literals arrive in brackets. */
  record HostPort(String host, int port) {
    static HostPort parse(String authority, int defaultPort) {
      String host = authority;
      String portText = null;
      if (authority.startsWith("[")) {
        int close = authority.indexOf(']');
        if (close < 0) {
          throw ProxyFailure.of(400, "bad IPv6 authority '" + authority + "'");
        }
        host = authority.substring(1, close);
        String after = authority.substring(close + 1);
        if (after.startsWith(":")) {
          portText = after.substring(1);
        } else if (!after.isEmpty()) {
          throw ProxyFailure.of(400, "bad authority '" + authority + "'");
        }
      } else {
        int colon = authority.lastIndexOf(':');
        if (colon >= 0) {
          host = authority.substring(0, colon);
          portText = authority.substring(colon + 1);
        }
      }
      if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
        throw ProxyFailure.of(400, "bad host in '" + authority + "'");
      }
      int port = defaultPort;
      if (portText != null) {
        if (!portText.matches("\\d{1,5}")
            || Integer.parseInt(portText) > 65535
            || Integer.parseInt(portText) == 0) {
          throw ProxyFailure.of(400, "bad port in '" + authority + "'");
        }
        port = Integer.parseInt(portText);
      }
      return new HostPort(host.toLowerCase(Locale.ROOT), port);
    }
  }
}
