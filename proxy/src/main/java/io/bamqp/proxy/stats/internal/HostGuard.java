package io.bamqp.proxy.stats.internal;

import io.bamqp.security.LanHost;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses requests whose {@code Host} is a public domain name: the page may be read by anyone on
 * the LAN, but a web site the owner visits must not read it through DNS rebinding (its name
 * re-pointed at the router, so the browser treats the router's answers as the site's own). The page
 * answers to IP literals, {@code localhost}, single-label names and LAN suffixes only ({@link
 * LanHost}).
 */
final class HostGuard {
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

  /** The rule lives in {@link LanHost}, shared with the proxy's {@code /fetch}. */
  static boolean allowed(String host) {
    return LanHost.isLan(host);
  }
}
