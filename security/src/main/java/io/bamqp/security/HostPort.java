package io.bamqp.security;

import io.bamqp.security.MalformedAddress.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host and a port: the authority of a URL, a {@code CONNECT} target, a {@code Host} header, a
 * configured {@code host:port}. The one parser of hosts in bamqp; {@link HttpUrl} uses it for its
 * authority.
 *
 * <p>A host is either a name of ASCII letters, digits, {@code .}, {@code _} and {@code -} (so no
 * percent-encoding, no IDN, no spaces or backslashes; a trailing dot is kept), or an IPv6 address
 * in brackets, optionally with a zone ({@code [fe80::1%eth0]}). Names are lower-cased; an IPv6
 * address keeps the text it was written with, lower-cased, without its brackets. Unbracketed IPv6
 * ({@code ::1:80}), text after {@code ]} other than {@code :port}, user info and anything else are
 * refused with a {@link MalformedAddress}. A port is 1 to 5 digits, 1-65535 ({@link #parseEndpoint}
 * also takes 0, "any free port").
 *
 * <p>Parsing never resolves a name. Whether a numeric-looking name is an acceptable IPv4 literal
 * ({@code 127.0.0.1} is, {@code 2130706433}, {@code 0x7f.1} and {@code 127.1} are not) is a
 * question for the caller: see {@link #isIpv4Literal()} and {@link #looksNumeric()}.
 */
public final class HostPort {
  /** Passed as {@code defaultPort} when the authority must name its port. */
  public static final int NO_DEFAULT_PORT = -1;

  /** The longest IPv6 text: eight groups and seven colons, or six groups and a dotted quad. */
  private static final int MAX_IPV6_LENGTH = 45;

  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern IPV4_LITERAL = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern NUMERIC_LABELS = Pattern.compile("[0-9a-fx.]+");
  private static final Pattern DNS_NAME =
      Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_-]{1,63}");

  private final String host;
  private final int port;

  private HostPort(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * Parses {@code host[:port]} as a URL authority or request target writes it.
   *
   * @param defaultPort the port when none is written, or {@link #NO_DEFAULT_PORT} to require one
   * @throws MalformedAddress naming the problem
   */
  public static HostPort parse(String authority, int defaultPort) {
    return parse(authority, defaultPort, 1);
  }

  /**
   * Parses {@code host:port} as the config writes a listening or peer address: the port is
   * required, and 0 means "any free port".
   *
   * @throws MalformedAddress naming the problem
   */
  public static HostPort parseEndpoint(String text) {
    return parse(text, NO_DEFAULT_PORT, 0);
  }

  /**
   * A host given on its own ({@code example.com}, {@code 10.0.0.1}, {@code ::1} or {@code [::1]})
   * and a port of 0-65535.
   *
   * @throws MalformedAddress naming the problem
   */
  public static HostPort of(String host, int port) {
    Objects.requireNonNull(host, "host");
    String authority = host + ":" + port;
    if (port < 0 || port > 65_535) {
      throw new MalformedAddress(
          Reason.BAD_PORT, authority, Integer.toString(port), "bad port in '" + authority + "'");
    }
    boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() >= 2;
    if (bracketed || host.indexOf(':') >= 0) {
      return new HostPort(
          ipv6(bracketed ? host.substring(1, host.length() - 1) : host, host), port);
    }
    return new HostPort(name(host, host), port);
  }

  private static HostPort parse(String authority, int defaultPort, int minPort) {
    Objects.requireNonNull(authority, "authority");
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new MalformedAddress(
            Reason.BAD_IPV6, authority, authority, "bad IPv6 authority '" + authority + "'");
      }
      host = ipv6(authority.substring(1, close), authority);
      String after = authority.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw new MalformedAddress(
            Reason.BAD_AUTHORITY, authority, after, "bad authority '" + authority + "'");
      }
    } else {
      int colon = authority.indexOf(':');
      if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
        throw new MalformedAddress(
            Reason.UNBRACKETED_IPV6, authority, authority, "bad host in '" + authority + "'");
      }
      if (colon >= 0) {
        portText = authority.substring(colon + 1);
      }
      host = name(colon < 0 ? authority : authority.substring(0, colon), authority);
    }
    return new HostPort(host, port(portText, defaultPort, minPort, authority));
  }

  private static int port(String text, int defaultPort, int minPort, String authority) {
    if (text == null) {
      if (defaultPort == NO_DEFAULT_PORT) {
        throw new MalformedAddress(
            Reason.MISSING_PORT, authority, authority, "'" + authority + "' is not host:port");
      }
      return defaultPort;
    }
    int port = -1;
    if (text.length() >= 1 && text.length() <= 5 && text.chars().allMatch(HostPort::isDigit)) {
      port = Integer.parseInt(text);
    }
    if (port < minPort || port > 65_535) {
      throw new MalformedAddress(
          Reason.BAD_PORT, authority, text, "bad port in '" + authority + "'");
    }
    return port;
  }

  /** A name, checked on the text as written: lower-casing first would let {@code K} (Kelvin) in. */
  private static String name(String text, String authority) {
    if (text.isEmpty()) {
      throw new MalformedAddress(
          Reason.NO_HOST, authority, text, "bad host in '" + authority + "'");
    }
    if (!text.chars().allMatch(HostPort::isNameCharacter)) {
      throw new MalformedAddress(
          Reason.BAD_HOST, authority, text, "bad host in '" + authority + "'");
    }
    return text.toLowerCase(Locale.ROOT);
  }

  /**
   * An IPv6 address (without brackets), with an optional {@code %zone}. The address must start with
   * a hex digit or a colon and contain a colon, so {@link InetAddress#getByName} reads it as a
   * literal and never asks DNS.
   */
  private static String ipv6(String text, String authority) {
    if (text.isEmpty()) {
      throw new MalformedAddress(
          Reason.NO_HOST, authority, text, "bad host in '" + authority + "'");
    }
    int percent = text.indexOf('%');
    String address = percent < 0 ? text : text.substring(0, percent);
    String zone = percent < 0 ? null : text.substring(percent + 1);
    boolean shaped =
        address.length() <= MAX_IPV6_LENGTH
            && address.indexOf(':') >= 0
            && (address.charAt(0) == ':' || isHexDigit(address.charAt(0)))
            && address.chars().allMatch(c -> isHexDigit(c) || c == ':' || c == '.')
            && (zone == null
                || !zone.isEmpty() && zone.chars().allMatch(HostPort::isNameCharacter));
    if (!shaped || !isIpv6Literal(address)) {
      throw new MalformedAddress(
          Reason.BAD_IPV6, authority, text, "bad IPv6 authority '" + authority + "'");
    }
    return address.toLowerCase(Locale.ROOT) + (zone == null ? "" : "%" + zone);
  }

  private static boolean isIpv6Literal(String address) {
    try {
      InetAddress.getByName(address);
      return true;
    } catch (UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(int c) {
    return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** ASCII only: {@link Character#isLetterOrDigit} would let IDN and look-alikes through. */
  private static boolean isNameCharacter(int c) {
    return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || ".-_".indexOf(c) >= 0;
  }

  /** The host: a lower-case name, or an IPv6 address without brackets. */
  public String host() {
    return host;
  }

  /** The port, explicit or the default. */
  public int port() {
    return port;
  }

  /** Whether the host is an IPv6 address (written in brackets in a URL). */
  public boolean isIpv6Literal() {
    return host.indexOf(':') >= 0;
  }

  /** Whether the host is an IPv6 address with a {@code %zone}. */
  public boolean hasZone() {
    return host.indexOf('%') >= 0;
  }

  /** Whether the host is an IPv4 address in canonical dotted-quad form (no leading zeros). */
  public boolean isIpv4Literal() {
    return IPV4_LITERAL.matcher(host).matches();
  }

  /**
   * Whether the host is made only of digits, hex letters, {@code x} and dots, so that some resolver
   * might read it as an IPv4 number ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.1}). A careful
   * caller accepts such a host only when {@link #isIpv4Literal()}.
   */
  public boolean looksNumeric() {
    return !isIpv6Literal() && NUMERIC_LABELS.matcher(host).matches();
  }

  /** Whether the host is a DNS name: labels of 1-63 characters, 253 in all. */
  public boolean isDnsName() {
    return !isIpv6Literal() && DNS_NAME.matcher(host).matches();
  }

  /**
   * The host without one trailing dot ({@code localhost.} names {@code localhost}).
   *
   * @throws MalformedAddress {@link Reason#NO_HOST} when nothing is left
   */
  public HostPort withoutTrailingDot() {
    if (!host.endsWith(".")) {
      return this;
    }
    if (host.length() == 1) {
      throw new MalformedAddress(Reason.NO_HOST, toString(), "", "bad host in '" + this + "'");
    }
    return new HostPort(host.substring(0, host.length() - 1), port);
  }

  /**
   * The address an IP literal names, without any DNS query; empty for a name (and for an IPv6 zone
   * that names no interface of this machine).
   */
  public Optional<InetAddress> literalAddress() {
    if (!isIpv6Literal() && !isIpv4Literal()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The host as a URL writes it: IPv6 in brackets. */
  public String hostInUrl() {
    return isIpv6Literal() ? "[" + host + "]" : host;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HostPort that && port == that.port && host.equals(that.host);
  }

  @Override
  public int hashCode() {
    return 31 * host.hashCode() + port;
  }

  /** {@code host:port}, IPv6 in brackets. */
  @Override
  public String toString() {
    return hostInUrl() + ":" + port;
  }
}
