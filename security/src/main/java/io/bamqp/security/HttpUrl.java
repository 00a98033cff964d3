package io.bamqp.security;

import io.bamqp.security.MalformedAddress.Reason;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An absolute {@code http} or {@code https} URL, parsed once: the scheme, the {@link HostPort} and
 * the origin-form path and query. Every part of bamqp that reads a URL (a forward-proxy request
 * target, a {@code /fetch?url=}, a neighbor's fetch) reads it with {@link #parse}.
 *
 * <p>The scheme is case-insensitive and lower-cased; the authority is everything up to the first
 * {@code /}, {@code ?} or {@code #}, read by {@link HostPort#parse} with the scheme's default port
 * (80 or 443). User info ({@code user@host}) is refused, and so is an IPv6 zone ({@code
 * [fe80::1%eth0]}): a URL has no business naming this machine's interfaces. The fragment is
 * dropped; a missing path becomes {@code /}; a space or control character left in the path or query
 * is refused, so nothing read here can split a request line. Bytes above ASCII in the path pass as
 * they are.
 */
public final class HttpUrl {
  /** A reference that starts with a scheme: {@code http:}, {@code ftp:}, {@code javascript:}. */
  private static final Pattern ABSOLUTE_REFERENCE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");

  private final String scheme;
  private final HostPort hostPort;
  private final String pathAndQuery;

  private HttpUrl(String scheme, HostPort hostPort, String pathAndQuery) {
    this.scheme = scheme;
    this.hostPort = hostPort;
    this.pathAndQuery = pathAndQuery;
  }

  /**
   * Parses an absolute {@code http://} or {@code https://} URL.
   *
   * @throws MalformedAddress naming the problem
   */
  public static HttpUrl parse(String url) {
    Objects.requireNonNull(url, "url");
    int separator = url.indexOf("://");
    if (separator < 0) {
      throw new MalformedAddress(Reason.NOT_ABSOLUTE, "", url, "not an absolute URL");
    }
    String scheme = url.substring(0, separator).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new MalformedAddress(
          Reason.UNSUPPORTED_SCHEME, "", scheme, "scheme '" + scheme + "' is not http or https");
    }
    String rest = url.substring(separator + 3);
    int end = 0;
    while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    String authority = rest.substring(0, end);
    if (authority.indexOf('@') >= 0) {
      throw new MalformedAddress(
          Reason.USER_INFO, authority, authority, "URLs with user information are refused");
    }
    String path = rest.substring(end);
    int fragment = path.indexOf('#');
    path = fragment < 0 ? path : path.substring(0, fragment);
    path = path.isEmpty() || path.startsWith("?") ? "/" + path : path;
    if (path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new MalformedAddress(
          Reason.CONTROL_CHARACTERS,
          authority,
          url,
          "the URL contains spaces or control characters");
    }
    HostPort hostPort = HostPort.parse(authority, defaultPort(scheme));
    if (hostPort.hasZone()) {
      throw new MalformedAddress(
          Reason.BAD_IPV6, authority, hostPort.host(), "bad IPv6 authority '" + authority + "'");
    }
    return new HttpUrl(scheme, hostPort, path);
  }

  /**
   * The URL a reference found in this URL's response names ({@code Location}, RFC 9110 §10.2.2): an
   * absolute URL, a network-path ({@code //host/p}), an absolute path ({@code /p}), a query ({@code
   * ?q}) or a relative path ({@code ../p}), resolved as RFC 3986 §5.2 says and then read by {@link
   * #parse}, so the result passes every check a URL typed by hand passes.
   *
   * @throws MalformedAddress naming the problem
   */
  public HttpUrl resolve(String reference) {
    Objects.requireNonNull(reference, "reference");
    String ref = reference.trim();
    int fragment = ref.indexOf('#');
    ref = fragment < 0 ? ref : ref.substring(0, fragment);
    if (ABSOLUTE_REFERENCE.matcher(ref).lookingAt()) {
      return parse(ref);
    }
    if (ref.startsWith("//")) {
      return parse(scheme + ":" + ref);
    }
    String origin = scheme + "://" + hostHeader();
    if (ref.isEmpty()) {
      return this;
    }
    int query = pathAndQuery.indexOf('?');
    String basePath = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    if (ref.startsWith("?")) {
      return parse(origin + basePath + ref);
    }
    int refQuery = ref.indexOf('?');
    String refPath = refQuery < 0 ? ref : ref.substring(0, refQuery);
    String refRest = refQuery < 0 ? "" : ref.substring(refQuery);
    String merged =
        refPath.startsWith("/")
            ? refPath
            : basePath.substring(0, basePath.lastIndexOf('/') + 1) + refPath;
    return parse(origin + withoutDotSegments(merged) + refRest);
  }

  /** RFC 3986 §5.2.4 on an absolute path: {@code /a/b/../c/./d} is {@code /a/c/d}. */
  private static String withoutDotSegments(String path) {
    ArrayDeque<String> kept = new ArrayDeque<>();
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.equals("..")) {
        kept.pollLast();
        if (last) {
          kept.addLast("");
        }
      } else if (segment.equals(".")) {
        if (last) {
          kept.addLast("");
        }
      } else {
        kept.addLast(segment);
      }
    }
    return "/" + String.join("/", kept);
  }

  /** 443 for {@code https}, 80 otherwise. */
  public static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  /** {@code http} or {@code https}. */
  public String scheme() {
    return scheme;
  }

  /** Whether the scheme is {@code https}. */
  public boolean tls() {
    return scheme.equals("https");
  }

  /** The host and the port (explicit or the scheme's default). */
  public HostPort hostPort() {
    return hostPort;
  }

  /** The host, lower-case, IPv6 without brackets. */
  public String host() {
    return hostPort.host();
  }

  /** The port, explicit or the scheme's default. */
  public int port() {
    return hostPort.port();
  }

  /** The origin-form request target: at least {@code /}, with the query, without the fragment. */
  public String pathAndQuery() {
    return pathAndQuery;
  }

  /** The authority as a {@code Host} header writes it: the port only when not the default. */
  public String hostHeader() {
    return port() == defaultPort(scheme) ? hostPort.hostInUrl() : hostPort.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HttpUrl that
        && scheme.equals(that.scheme)
        && hostPort.equals(that.hostPort)
        && pathAndQuery.equals(that.pathAndQuery);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, hostPort, pathAndQuery);
  }

  /**
   * The URL in its normal form: lower-case scheme and host, default port omitted, no fragment. It
   * carries the query: not for logs.
   */
  @Override
  public String toString() {
    return scheme + "://" + hostHeader() + pathAndQuery;
  }
}
