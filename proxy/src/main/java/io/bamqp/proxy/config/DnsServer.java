package io.bamqp.proxy.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * One of {@code wan.dnsServers}: a resolver's numeric address, with an optional port ({@code
 * 192.0.2.53}, {@code 192.0.2.53:5353}, {@code 2001:db8::53}, {@code [2001:db8::53]:5353}). A name
 * is refused: the node would need a resolver to find its resolver.
 */
final class DnsServer {
  static final int DEFAULT_PORT = 53;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");

  private DnsServer() {}

  /**
   * The resolver's socket address.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  static InetSocketAddress parse(String text) {
    String host = text.trim();
    int port = DEFAULT_PORT;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "' has no closing ]");
      }
      String rest = host.substring(close + 1);
      host = host.substring(1, close);
      if (!rest.isEmpty()) {
        port = port(text, rest.startsWith(":") ? rest.substring(1) : rest);
      }
    } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      port = port(text, host.substring(host.indexOf(':') + 1));
      host = host.substring(0, host.indexOf(':'));
    }
    if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a numeric IP address (write 192.0.2.53 or [2001:db8::53]:53)");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port); // numeric: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not a valid IP address");
    }
  }

  private static int port(String text, String port) {
    if (!PORT.matcher(port).matches()
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("'" + text + "' has a bad port '" + port + "' (1-65535)");
    }
    return Integer.parseInt(port);
  }
}
