package io.bamqp.security;

import java.util.List;

/**
 * Whether a {@code Host} names this router the way a LAN user does: by an IP literal, {@code
 * localhost}, a single-label name ({@code router}) or a name under a LAN suffix ({@code
 * router.lan}). Anything else is a domain on the Internet, which a web site could re-point at the
 * router (DNS rebinding) so that the browser lets the site's scripts read the router's answers. The
 * router's own pages and endpoints answer only to LAN hosts.
 *
 * <p>The host is read by {@link HostPort}; a host it refuses is not a LAN host. A numeric-looking
 * name that is not a canonical IPv4 address ({@code 127.1}, {@code 0x7f.1}) is not one either.
 */
public final class LanHost {
  /** Suffixes that name machines of the home network, never a site on the Internet. */
  public static final List<String> LAN_SUFFIXES =
      List.of(".local", ".lan", ".home", ".home.arpa", ".internal", ".localdomain");

  private LanHost() {}

  /**
   * Whether {@code host} (as a {@code Host} header or a URL writes it, without its port: {@code
   * 192.168.1.1}, {@code [::1]}, {@code ::1}, {@code router.lan.}) is a LAN host.
   */
  public static boolean isLan(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    try {
      return isLan(HostPort.of(host, 0));
    } catch (MalformedAddress e) {
      return false;
    }
  }

  /** Whether the host of {@code hostPort} is a LAN host; its port does not matter. */
  public static boolean isLan(HostPort hostPort) {
    if (hostPort.isIpv6Literal() || hostPort.isIpv4Literal()) {
      return true;
    }
    HostPort name;
    try {
      name = hostPort.withoutTrailingDot();
    } catch (MalformedAddress e) {
      return false;
    }
    String host = name.host();
    if (name.looksNumeric() || !name.isDnsName()) {
      return false;
    }
    if (host.equals("localhost") || host.indexOf('.') < 0) {
      return true;
    }
    return LAN_SUFFIXES.stream().anyMatch(host::endsWith);
  }
}
