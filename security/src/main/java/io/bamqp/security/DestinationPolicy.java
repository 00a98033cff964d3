package io.bamqp.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides whether this node may fetch a URL on a neighbor's behalf, and where exactly to connect:
 * the guard that keeps a helper from becoming a door into its own LAN (SSRF).
 *
 * <p>A URL passes when it is a {@code GET} of {@code http} or {@code https}, carries no user info,
 * names its host by a DNS name or a canonical IP literal (no {@code 2130706433}, {@code 0x7f.1} or
 * {@code 127.1}), and <em>every</em> address the name resolves to is a public unicast address that
 * is not this node's own. Ports are 80 and 443 only. The owner may open chosen blocks with {@code
 * security.allowDestinations} (a LAN mirror, a test bed): an address inside one of them passes
 * whatever its kind, on any port. The caller connects to the returned, checked address: resolving
 * again would let DNS rebinding swap it.
 *
 * <p>{@link #vet} resolves names with the system resolver and so blocks: call it off the event
 * loop.
 */
public final class DestinationPolicy {
  /** Ports a helper fetches from outside {@code allowDestinations}. */
  public static final List<Integer> STANDARD_PORTS = List.of(80, 443);

  private static final Pattern DNS_NAME =
      Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_-]{1,63}");
  private static final Pattern DOTTED_QUAD = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
  private static final Pattern NUMERIC_LABELS = Pattern.compile("[0-9a-fx.]+");

  private final List<Cidr> allowed;
  private final OwnSockets own;
  private final Resolver resolver;

  /** Turns a host name into its addresses; the system resolver unless a test gives another. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private DestinationPolicy(List<Cidr> allowed, OwnSockets own, Resolver resolver) {
    this.allowed = List.copyOf(allowed);
    this.own = Objects.requireNonNull(own, "own");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * A policy that also lets through {@code allowDestinations} (empty by default) and refuses this
   * node's own addresses ({@code own}).
   */
  public static DestinationPolicy create(List<Cidr> allowDestinations, OwnSockets own) {
    return new DestinationPolicy(allowDestinations, own, InetAddress::getAllByName);
  }

  /** As {@link #create(List, OwnSockets)}, resolving names with {@code resolver}. */
  public static DestinationPolicy create(
      List<Cidr> allowDestinations, OwnSockets own, Resolver resolver) {
    return new DestinationPolicy(allowDestinations, own, resolver);
  }

  /**
   * Checks {@code method url} and resolves its host.
   *
   * @return where to connect
   * @throws DestinationRefused naming the rule the URL breaks
   */
  public Destination vet(String method, String url) throws DestinationRefused {
    if (!"GET".equals(method)) {
      throw new DestinationRefused("only GET is fetched for neighbors, not " + method);
    }
    ParsedUrl parsed = ParsedUrl.parse(url);
    InetAddress[] addresses = resolve(parsed.host());
    for (InetAddress address : addresses) {
      checkAddress(address, parsed.port());
    }
    return new Destination(
        parsed.scheme(), parsed.host(), parsed.port(), parsed.pathAndQuery(), addresses[0]);
  }

  /** Whether {@code address:port} may be reached; the same rules as {@link #vet}. */
  public void checkAddress(InetAddress address, int port) throws DestinationRefused {
    if (own.isOwn(address, port)) {
      throw new DestinationRefused(
          address.getHostAddress() + ":" + port + " is one of this node's own listening sockets");
    }
    if (isAllowedExplicitly(address)) {
      return;
    }
    if (!STANDARD_PORTS.contains(port)) {
      throw new DestinationRefused("port " + port + " is not 80 or 443");
    }
    String kind = SpecialAddresses.kindOf(address);
    if (kind != null) {
      throw new DestinationRefused(
          address.getHostAddress() + " is " + kind + " (open it with security.allowDestinations)");
    }
    if (own.isOwnAddress(address)) {
      throw new DestinationRefused(address.getHostAddress() + " is this node's own address");
    }
  }

  private boolean isAllowedExplicitly(InetAddress address) {
    return allowed.stream().anyMatch(block -> block.contains(address));
  }

  private InetAddress[] resolve(String host) throws DestinationRefused {
    if (host.indexOf(':') < 0 && NUMERIC_LABELS.matcher(host).matches()) {
      if (!DOTTED_QUAD.matcher(host).matches()) {
        throw new DestinationRefused("'" + host + "' is not a canonical IPv4 address");
      }
      try {
        Cidr.parse(host);
      } catch (IllegalArgumentException e) {
        throw new DestinationRefused("'" + host + "' is not a canonical IPv4 address");
      }
    } else if (host.indexOf(':') < 0 && !DNS_NAME.matcher(host).matches()) {
      throw new DestinationRefused("'" + host + "' is not a host name");
    }
    try {
      InetAddress[] addresses = resolver.resolve(host);
      if (addresses.length == 0) {
        throw new DestinationRefused("'" + host + "' has no address");
      }
      return addresses;
    } catch (UnknownHostException e) {
      throw new DestinationRefused("'" + host + "' could not be resolved");
    }
  }

  /** The parts of an absolute http(s) URL the policy looks at. */
  record ParsedUrl(String scheme, String host, int port, String pathAndQuery) {
    static ParsedUrl parse(String url) throws DestinationRefused {
      int colon = url.indexOf("://");
      if (colon < 0) {
        throw new DestinationRefused("not an absolute URL");
      }
      String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new DestinationRefused("scheme '" + scheme + "' is not http or https");
      }
      String rest = url.substring(colon + 3);
      int end = 0;
      while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
        end++;
      }
      String authority = rest.substring(0, end);
      if (authority.indexOf('@') >= 0) {
        throw new DestinationRefused("URLs with user information are refused");
      }
      String path = rest.substring(end);
      int fragment = path.indexOf('#');
      path = fragment < 0 ? path : path.substring(0, fragment);
      path = path.isEmpty() || path.startsWith("?") ? "/" + path : path;
      if (path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
        throw new DestinationRefused("the URL contains spaces or control characters");
      }
      String host = authority;
      int port = scheme.equals("https") ? 443 : 80;
      int portColon = authority.lastIndexOf(':');
      if (authority.startsWith("[")) {
        int close = authority.indexOf(']');
        if (close < 0) {
          throw new DestinationRefused("bad IPv6 literal in '" + authority + "'");
        }
        host = authority.substring(1, close);
        portColon = authority.indexOf(':', close);
      }
      if (portColon >= 0 && !authority.startsWith("[")
          || portColon > 0 && authority.startsWith("[")) {
        String portText = authority.substring(portColon + 1);
        if (!portText.matches("\\d{1,5}")
            || Integer.parseInt(portText) == 0
            || Integer.parseInt(portText) > 65535) {
          throw new DestinationRefused("bad port in '" + authority + "'");
        }
        port = Integer.parseInt(portText);
        if (!authority.startsWith("[")) {
          host = authority.substring(0, portColon);
        }
      }
      host = host.toLowerCase(Locale.ROOT);
      if (host.endsWith(".")) {
        host = host.substring(0, host.length() - 1);
      }
      if (host.isEmpty()) {
        throw new DestinationRefused("the URL has no host");
      }
      return new ParsedUrl(scheme, host, port, path);
    }
  }
}
