package io.bamqp.proxy.forward.internal;

import io.bamqp.security.HostPort;
import io.bamqp.security.LanHost;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The proxy auto-configuration file (PAC) a browser fetches from {@code /proxy.pac}, or through
 * WPAD from {@code /wpad.dat}: plain {@code http:} URLs go through this proxy, everything else
 * ({@code https:} and {@code ws:} have nothing to gain from it) and every LAN host goes direct, so
 * LAN traffic does not hairpin through the router.
 *
 * <p>The script uses two of the PAC helpers only ({@code isPlainHostName}, {@code dnsDomainIs}) and
 * never resolves a name: private addresses are recognised from IP literals alone.
 */
final class PacFile {
  /** The media type browsers expect for both paths. */
  static final String CONTENT_TYPE = "application/x-ns-proxy-autoconfig";

  /** The paths the file answers on: the one to type into a browser, and the WPAD one. */
  static final List<String> PATHS = List.of("/proxy.pac", "/wpad.dat");

  private static final String TEMPLATE =
      """
      // bamqp: plain http:// through the proxy on this router; https:// and every other scheme,
      // and the LAN itself, direct.
      function FindProxyForURL(url, host) {
        var proxy = "PROXY %s";
        if (url.substring(0, 5).toLowerCase() != "http:") {
          return "DIRECT";
        }
        host = host.toLowerCase();
        if (host.indexOf(":") >= 0) {
          return /^\\[?(::1\\]?$|f[cd]|fe[89ab])/.test(host) ? "DIRECT" : proxy;
        }
        if (isPlainHostName(host) || %s) {
          return "DIRECT";
        }
        var ip = /^(\\d+)\\.(\\d+)\\.\\d+\\.\\d+$/.exec(host);
        if (ip) {
          var a = +ip[1], b = +ip[2];
          if (a == 10 || a == 127 || (a == 169 && b == 254) || (a == 172 && b >= 16 && b <= 31)
              || (a == 192 && b == 168)) {
            return "DIRECT";
          }
        }
        return proxy;
      }
      """;

  private PacFile() {}

  /** Whether {@code pathAndQuery} asks for the PAC file (a query is ignored). */
  static boolean isAsked(String pathAndQuery) {
    int query = pathAndQuery.indexOf('?');
    return PATHS.contains(query < 0 ? pathAndQuery : pathAndQuery.substring(0, query));
  }

  /**
   * The script for a proxy reached at {@code proxy}.
   *
   * @param proxy the address a browser reached the proxy by (a validated {@code Host} and the
   *     proxy's port); its characters are those {@link HostPort} accepts, none of which can leave a
   *     JavaScript string
   */
  static String script(HostPort proxy) {
    String lan =
        LanHost.LAN_SUFFIXES.stream()
            .map(suffix -> "dnsDomainIs(host, \"" + suffix + "\")")
            .collect(Collectors.joining(" || "));
    return String.format(TEMPLATE, proxy, lan);
  }
}
