package io.bamqp.proxy.config;

import io.bamqp.security.HostPort;
import io.bamqp.security.MalformedAddress;

/** A listening or binding address as the config writes it: {@code host:port}, {@code [v6]:port}. */
public record Endpoint(String host, int port) {
  public Endpoint {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0-65535");
    }
  }

  /**
   * Parses {@code host:port} ({@code [v6]:port} for IPv6) with {@link HostPort#parseEndpoint}; port
   * 0 means "any free port".
   */
  public static Endpoint parse(String text) {
    try {
      HostPort parsed = HostPort.parseEndpoint(text.trim());
      return new Endpoint(parsed.host(), parsed.port());
    } catch (MalformedAddress e) {
      throw new IllegalArgumentException(problem(text, e));
    }
  }

  /** The config error for {@code text}, worded as the config has always worded it. */
  private static String problem(String text, MalformedAddress e) {
    switch (e.reason()) {
      case BAD_PORT:
        if (e.part().isEmpty()) {
          return "'" + text + "' is not host:port";
        }
        if (e.part().matches("\\d{1,5}")) {
          return "port " + Integer.parseInt(e.part()) + " is outside 0-65535";
        }
        return "'" + text + "' has a bad port '" + e.part() + "'";
      case BAD_HOST:
        return "'" + text + "' has a bad host '" + e.part() + "'";
      case BAD_IPV6:
      case BAD_AUTHORITY:
      case UNBRACKETED_IPV6:
        return "'" + text + "': write an IPv6 host as [addr]:port";
      default:
        return "'" + text + "' is not host:port";
    }
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
