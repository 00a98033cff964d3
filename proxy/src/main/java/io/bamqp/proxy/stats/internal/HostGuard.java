package io.bamqp.proxy.stats.internal;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Refuses requests whose {@code Host} is a public domain name: the page may be read by anyone on
 * the LAN, but a web site the owner visits must not read it through DNS rebinding (its name
 * re-pointed at the router, so the browser treats the router's answers as the site's own). The page
 * answers to IP literals, {@code localhost}, single-label names and LAN suffixes only.
 */
final class HostGuard {
  /** Suffixes that name machines of the home network, never a site on the Internet. */
  static final List<String> LAN_SUFFIXES =
      List.of(".local", ".lan", ".home", ".home.arpa", ".internal", ".localdomain");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private HostGuard() {}

  static void check(RoutingContext ctx) {
    String host = ctx.request().authority() == null ? null : ctx.request().authority().host();
    if (host == null || allowed(host)) {
      ctx.next();
      return;
    }
    Json.error(
        ctx.response(),
        403,
        "the page answers to this router's address, not to '"
            + host
            + "' (a guard against DNS rebinding): open it by IP address or a .lan/.local name");
  }

  static boolean allowed(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.startsWith("[") || name.indexOf(':') >= 0 || IPV4.matcher(name).matches()) {
      return true;
    }
    if (name.equals("localhost") || name.indexOf('.') < 0) {
      return true;
    }
    for (String suffix : LAN_SUFFIXES) {
      if (name.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }
}
