package io.bamqp.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides whether this node may fetch a URL on a neighbor's behalf, and where exactly to connect:
 * the guard that keeps a helper from becoming a door into its own LAN (SSRF).
 *
 * <p>A URL passes when it is a {@code GET} of {@code http} or {@code https}, carries no user info,
 * names its host by a DNS name or a canonical IP literal (no {@code 2130706433}, {@code 0x7f.1} or
 * {@code 127.1}), and <em>every</em> address the name resolves to is a public unicast address that
 * is not one of this node's own (any address of any of its interfaces). Ports are 80 and 443 only.
 * The owner may open chosen blocks with {@code security.allowDestinations} (a LAN mirror, a test
 * bed): an address inside one of them passes whatever its kind, on any port, except this node's own
 * listening sockets ({@link OwnSockets}), which are refused whatever the owner opened. The caller
 * connects to the returned, checked address: resolving again would let DNS rebinding swap it. The
 * URL is read by {@link HttpUrl}; one trailing dot is dropped from its host ({@code localhost.} is
 * {@code localhost}).
 *
 * <p>{@link #vet} resolves names with the system resolver and so blocks: call it off the event
 * loop.
 */
public final class DestinationPolicy {
  /** Ports a helper fetches from outside {@code allowDestinations}. */
  public static final List<Integer> STANDARD_PORTS = List.of(80, 443);

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
   * @throws DestinationRefused naming the rule the URL breaks, with the addresses: for this node's
   *     log, never for whoever asked
   */
  public Destination vet(String method, String url) throws DestinationRefused {
    if (!"GET".equals(method)) {
      throw new DestinationRefused("only GET is fetched for neighbors, not " + method);
    }
    HttpUrl parsed = parse(url);
    HostPort where;
    try {
      where = parsed.hostPort().withoutTrailingDot();
    } catch (MalformedAddress e) {
      throw new DestinationRefused("the URL has no host");
    }
    InetAddress[] addresses = resolve(where);
    own.recheck(addresses);
    for (InetAddress address : addresses) {
      checkAddress(address, where.port());
    }
    return new Destination(
        parsed.scheme(), where.host(), where.port(), parsed.pathAndQuery(), addresses[0]);
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

  /** This node's own sockets, which every part that binds one registers in. */
  public OwnSockets ownSockets() {
    return own;
  }

  private boolean isAllowedExplicitly(InetAddress address) {
    return allowed.stream().anyMatch(block -> block.contains(address));
  }

  private InetAddress[] resolve(HostPort where) throws DestinationRefused {
    String host = where.host();
    if (where.looksNumeric()) {
      if (!where.isIpv4Literal()) {
        throw new DestinationRefused("'" + host + "' is not a canonical IPv4 address");
      }
    } else if (!where.isIpv6Literal() && !where.isDnsName()) {
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

  private static HttpUrl parse(String url) throws DestinationRefused {
    try {
      return HttpUrl.parse(url);
    } catch (MalformedAddress e) {
      throw new DestinationRefused(reason(e));
    }
  }

  /** {@link HttpUrl}'s refusals in the words neighbors have always been given. */
  private static String reason(MalformedAddress e) {
    switch (e.reason()) {
      case NO_HOST:
        return "the URL has no host";
      case BAD_HOST:
        String host = e.part().toLowerCase(Locale.ROOT);
        return "'"
            + (host.endsWith(".") ? host.substring(0, host.length() - 1) : host)
            + "' is not a host name";
      case BAD_IPV6:
      case BAD_AUTHORITY:
      case UNBRACKETED_IPV6:
        return "bad IPv6 literal in '" + e.authority() + "'";
      default:
        return e.getMessage();
    }
  }
}
