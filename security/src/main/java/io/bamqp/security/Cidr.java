package io.bamqp.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A block of IP addresses in CIDR notation ({@code 192.168.0.0/16}, {@code fc00::/7}, or a bare
 * address meaning a single host).
 *
 * <p>Parsing accepts only numeric addresses in their canonical dotted-quad or IPv6 forms, never a
 * host name, so reading a config never triggers a DNS lookup. An IPv4 block never matches an IPv6
 * address and vice versa; IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are compared as the
 * IPv4 address they carry, because that is where a connection to them really goes.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefixLength;

  private Cidr(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /**
   * Parses {@code address/prefix} or a bare address.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code text}
   */
  public static Cidr parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] address = parseNumericAddress(addressText);
    int maxPrefix = address.length * 8;
    int prefix = maxPrefix;
    if (slash >= 0) {
      String prefixText = trimmed.substring(slash + 1);
      if (!prefixText.matches("\\d{1,3}")) {
        throw new IllegalArgumentException(
            "'" + text + "' has a bad prefix length '" + prefixText + "'");
      }
      prefix = Integer.parseInt(prefixText);
      if (prefix > maxPrefix) {
        throw new IllegalArgumentException(
            "'" + text + "' has prefix length " + prefix + ", more than " + maxPrefix);
      }
    }
    return new Cidr(mask(address, prefix), prefix);
  }

  /** The prefix length: 0 for a block that holds every address of its family. */
  public int prefixLength() {
    return prefixLength;
  }

  /** Whether {@code address} lies inside this block. */
  public boolean contains(InetAddress address) {
    byte[] candidate = unmapIpv4(address.getAddress());
    if (candidate.length != network.length) {
      return false;
    }
    return Arrays.equals(mask(candidate, prefixLength), network);
  }

  /** Whether {@code address}, a numeric IP literal, lies inside this block. */
  public boolean contains(String numericAddress) {
    try {
      return contains(InetAddress.getByAddress(parseNumericAddress(numericAddress)));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }

  static byte[] unmapIpv4(byte[] address) {
    if (address.length != 16) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return address;
      }
    }
    if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
      return address;
    }
    return Arrays.copyOfRange(address, 12, 16);
  }

  private static byte[] parseNumericAddress(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty address");
    }
    if (text.indexOf(':') >= 0) {
      String bare =
          text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
      if (!bare.matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
      }
      try {
        return unmapIpv4(InetAddress.getByName(bare).getAddress());
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + text + "' is not an IPv6 address", e);
      }
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + text + "' is not a dotted-quad IPv4 address");
    }
    byte[] address = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("0|[1-9]\\d{0,2}") || Integer.parseInt(parts[i]) > 255) {
        throw new IllegalArgumentException("'" + text + "' is not a dotted-quad IPv4 address");
      }
      address[i] = (byte) Integer.parseInt(parts[i]);
    }
    return address;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] masked = address.clone();
    for (int bit = prefix; bit < masked.length * 8; bit++) {
      masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return masked;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that
        && prefixLength == that.prefixLength
        && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    return (network.length == 4 ? ipv4(network) : ipv6(network)) + "/" + prefixLength;
  }

  private static String ipv4(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as {@code ::}. */
  private static String ipv6(byte[] address) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }
}
