package io.bamqp.security;

import java.net.InetAddress;

/**
 * A fetch target that passed the {@link DestinationPolicy}: connect to {@link #address()} (the
 * checked, pinned address) and send {@link #hostHeader()} as {@code Host} and the host name as TLS
 * SNI. Connecting anywhere else, or resolving the name again, would reopen DNS rebinding.
 *
 * @param scheme {@code http} or {@code https}
 * @param host the host name (or literal) as the URL gave it, lower-case
 * @param port the port, explicit or the scheme's default
 * @param pathAndQuery origin-form request target, at least {@code /}
 * @param address the resolved address that was checked
 */
public record Destination(
    String scheme, String host, int port, String pathAndQuery, InetAddress address) {

  /** Whether the fetch uses TLS. */
  public boolean tls() {
    return scheme.equals("https");
  }

  /** The {@code Host} header value: the port only when it is not the scheme's default. */
  public String hostHeader() {
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    int defaultPort = tls() ? 443 : 80;
    return port == defaultPort ? name : name + ":" + port;
  }

  /** The URL without its query, for logs. */
  public String redactedUrl() {
    int query = pathAndQuery.indexOf('?');
    return scheme
        + "://"
        + hostHeader()
        + (query < 0 ? pathAndQuery : pathAndQuery.substring(0, query) + "?…");
  }
}
