package io.bamqp.proxy.forward.internal;

import io.bamqp.security.SpecialAddresses;
import io.vertx.core.Future;
import java.net.InetAddress;

/**
 * Resolves a target once, in the node's lookup pool, and picks the address to connect to: the proxy
 * connects to exactly this address, so a name cannot be re-resolved (DNS rebinding) to somewhere
 * that was not checked.
 *
 * <p>A client's own target may be any address but this router's loopback, which stays closed unless
 * {@code security.allowDestinations} opens it. A redirect's target was chosen by an origin, not by
 * the user, so it gets the stricter rule a neighbor's fetch gets: no private, loopback, link-local
 * or other special address unless {@code security.allowDestinations} opens it.
 */
final class Pinning {
  private Pinning() {}

  /** Pins a target the client named. */
  static Future<PinnedTarget> pin(ProxyContext context, RequestTarget target) {
    return resolve(context, target).compose(addresses -> check(context, target, addresses, false));
  }

  /** Pins a target an origin redirected {@code /fetch} to. */
  static Future<PinnedTarget> pinRedirect(ProxyContext context, RequestTarget target) {
    return resolve(context, target).compose(addresses -> check(context, target, addresses, true));
  }

  private static Future<InetAddress[]> resolve(ProxyContext context, RequestTarget target) {
    return context
        .dns()
        .executeBlocking(() -> context.resolver().resolve(target.host()), false)
        .recover(
            unresolved ->
                Future.failedFuture(context.failures().upstream(unresolved, target.authority())));
  }

  private static Future<PinnedTarget> check(
      ProxyContext context, RequestTarget target, InetAddress[] addresses, boolean redirected) {
    for (InetAddress address : addresses) {
      if (context.ownSockets().isOwn(address, target.port())) {
        return Future.succeededFuture(new PinnedTarget(target, address, true));
      }
    }
    for (InetAddress address : addresses) {
      if (opened(context, address)) {
        continue;
      }
      if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
        return Future.failedFuture(
            ProxyFailure.of(
                403,
                (redirected ? "redirect to " : "destination ")
                    + target.authority()
                    + " is this router's loopback (open it with security.allowDestinations)"));
      }
      String kind = redirected ? SpecialAddresses.kindOf(address) : null;
      if (kind != null) {
        return Future.failedFuture(
            ProxyFailure.of(
                403,
                "redirect to "
                    + target.authority()
                    + " refused: "
                    + address.getHostAddress()
                    + " is "
                    + kind
                    + " (open it with security.allowDestinations)"));
      }
    }
    return Future.succeededFuture(new PinnedTarget(target, addresses[0], false));
  }

  private static boolean opened(ProxyContext context, InetAddress address) {
    return context.options().allowDestinations().stream().anyMatch(b -> b.contains(address));
  }
}
