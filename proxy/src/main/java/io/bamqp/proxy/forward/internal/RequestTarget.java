package io.bamqp.proxy.forward.internal;

import io.bamqp.security.HostPort;
import io.bamqp.security.HttpUrl;
import io.bamqp.security.MalformedAddress;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

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

  private static final String URL_PARAMETER = "url=";

  /** A scheme and {@code ://}: the start of a {@code /fetch?url=} value written unencoded. */
  private static final Pattern UNENCODED_URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

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
   * the certificate and host name verified when it is {@code https}. The URL may be written as it
   * is ({@code /fetch?url=https://host/p/f.iso?x=1&y=2}: when what follows {@code url=} starts with
   * a scheme and {@code ://}, everything after {@code url=} is the URL, its own query included) or
   * percent-encoded ({@code /fetch?url=https%3A%2F%2Fhost%2Ff.iso}, up to the next {@code &}).
   */
  RequestTarget fetchedUrl() {
    String query = pathAndQuery.substring(FETCH_PATH.length() + 1);
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      end = end < 0 ? query.length() : end;
      if (query.startsWith(URL_PARAMETER, start)) {
        String value = query.substring(start + URL_PARAMETER.length());
        String url =
            UNENCODED_URL.matcher(value).lookingAt()
                ? value
                : decode(query.substring(start + URL_PARAMETER.length(), end));
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
          return absoluteForm(url);
        }
        throw ProxyFailure.of(400, "/fetch takes an http:// or https:// URL");
      }
      start = end + 1;
    }
    throw ProxyFailure.of(400, "/fetch needs ?url=<an http:// or https:// URL>");
  }

  private static String decode(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ProxyFailure.of(400, "/fetch?url= has a malformed percent-encoding");
    }
  }

  /** The URL this target names, for resolving a redirect's {@code Location} against. */
  HttpUrl url() {
    return HttpUrl.parse(absoluteUrl());
  }

  /** The target an already parsed URL names. */
  static RequestTarget of(HttpUrl url) {
    return new RequestTarget(url.host(), url.port(), url.pathAndQuery(), url.tls());
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
      return absoluteForm(uri);
    }
    if (lower.startsWith("https://")) {
      throw ProxyFailure.of(400, "https:// URLs go through CONNECT, not as a plain request");
    }
    if (!uri.startsWith("/") && lower.contains("://")) {
      throw ProxyFailure.of(400, "only http:// URLs can be proxied");
    }
    if (!uri.startsWith("/")) {
      throw ProxyFailure.of(400, "request target '" + uri + "' is not a URL or a path");
    }
    if (uri.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      // What HttpUrl refuses in an absolute-form target: the path is sent upstream as it is.
      throw ProxyFailure.of(400, "the request target contains spaces or control characters");
    }
    if (host == null || host.isBlank()) {
      throw ProxyFailure.of(400, "origin-form request without a Host header");
    }
    try {
      HostPort authority = withoutZone(HostPort.parse(host.trim(), HTTP_PORT));
      // The fragment is dropped as HttpUrl drops it: home and a neighbor fetch the same URL.
      int fragment = uri.indexOf('#');
      return new RequestTarget(
          authority.host(), authority.port(), fragment < 0 ? uri : uri.substring(0, fragment));
    } catch (MalformedAddress e) {
      throw ProxyFailure.of(400, e.getMessage());
    }
  }

  /**
   * Refuses an IPv6 zone ({@code [fe80::1%eth0]}) in a {@code Host} header or a {@code CONNECT}
   * target as {@link HttpUrl} refuses it in a URL: a client has no business naming this machine's
   * interfaces.
   */
  private static HostPort withoutZone(HostPort authority) {
    if (authority.hasZone()) {
      throw ProxyFailure.of(400, "bad IPv6 authority '" + authority + "': a zone is not allowed");
    }
    return authority;
  }

  /** An absolute {@code http://} or {@code https://} URL; {@link HttpUrl} says what is wrong. */
  private static RequestTarget absoluteForm(String url) {
    try {
      return of(HttpUrl.parse(url));
    } catch (MalformedAddress e) {
      throw ProxyFailure.of(400, e.getMessage());
    }
  }

  private static RequestTarget authorityForm(String uri) {
    try {
      HostPort hostPort = withoutZone(HostPort.parse(uri, HostPort.NO_DEFAULT_PORT));
      return new RequestTarget(hostPort.host(), hostPort.port(), "");
    } catch (MalformedAddress e) {
      throw ProxyFailure.of(
          400,
          e.reason() == MalformedAddress.Reason.MISSING_PORT
              ? "CONNECT needs host:port, got '" + uri + "'"
              : e.getMessage());
    }
  }
}
