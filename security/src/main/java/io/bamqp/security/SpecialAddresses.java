package io.bamqp.security;

import java.net.InetAddress;
import java.util.List;

/**
 * The address blocks a helper must never reach on a neighbor's behalf: everything that is not plain
 * public unicast (RFC 6890 special-purpose registries, plus the IPv6 forms that embed an IPv4
 * address and could smuggle a private one past an IPv4-only check). The forward proxy refuses them
 * too as the target of a redirect it follows for {@code /fetch}.
 */
public final class SpecialAddresses {
  private record Block(Cidr cidr, String kind) {}

  private static final List<Block> BLOCKS =
      List.of(
          block("0.0.0.0/8", "a 'this network' address"),
          block("10.0.0.0/8", "a private address"),
          block("100.64.0.0/10", "a carrier-grade NAT address"),
          block("127.0.0.0/8", "a loopback address"),
          block("169.254.0.0/16", "a link-local address (cloud metadata lives here)"),
          block("172.16.0.0/12", "a private address"),
          block("192.0.0.0/24", "an IETF protocol address"),
          block("192.0.2.0/24", "a documentation address"),
          block("192.88.99.0/24", "a 6to4 relay address"),
          block("192.168.0.0/16", "a private address"),
          block("198.18.0.0/15", "a benchmarking address"),
          block("198.51.100.0/24", "a documentation address"),
          block("203.0.113.0/24", "a documentation address"),
          block("224.0.0.0/4", "a multicast address"),
          block("240.0.0.0/4", "a reserved or broadcast address"),
          block("::/128", "the unspecified address"),
          block("::1/128", "a loopback address"),
          block("::/96", "an IPv4-compatible address"),
          block("64:ff9b::/96", "a NAT64 address"),
          block("64:ff9b:1::/48", "a NAT64 address"),
          block("100::/64", "a discard-only address"),
          block("2001::/32", "a Teredo address"),
          block("2001:db8::/32", "a documentation address"),
          block("2002::/16", "a 6to4 address"),
          block("fc00::/7", "a unique-local (private) address"),
          block("fe80::/10", "a link-local address"),
          block("fec0::/10", "a site-local address"),
          block("ff00::/8", "a multicast address"));

  private SpecialAddresses() {}

  private static Block block(String cidr, String kind) {
    return new Block(Cidr.parse(cidr), kind);
  }

  /**
   * What kind of special address {@code address} is, or {@code null} for public unicast. An
   * IPv4-mapped IPv6 address is judged as the IPv4 address it carries ({@link Cidr} unmaps it).
   */
  public static String kindOf(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return "the unspecified address";
    }
    for (Block block : BLOCKS) {
      if (block.cidr().contains(address)) {
        return block.kind();
      }
    }
    return null;
  }
}
