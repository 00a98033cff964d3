package io.bamqp.proxy.config;

/** A listening or binding address as the config writes it: {@code host:port}, {@code [v6]:port}. */
public record Endpoint(String host, int port) {
  public Endpoint {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 0-65535");
    }
  }

  /** Parses {@code host:port}; port 0 means "any free port". */
  public static Endpoint parse(String text) {
    String trimmed = text.trim();
    int colon = trimmed.lastIndexOf(':');
    if (colon <= 0 || colon == trimmed.length() - 1) {
      throw new IllegalArgumentException("'" + text + "' is not host:port");
    }
    String host = trimmed.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("'" + text + "': write an IPv6 host as [addr]:port");
    }
    String portText = trimmed.substring(colon + 1);
    if (!portText.matches("\\d{1,5}")) {
      throw new IllegalArgumentException("'" + text + "' has a bad port '" + portText + "'");
    }
    return new Endpoint(host, Integer.parseInt(portText));
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
