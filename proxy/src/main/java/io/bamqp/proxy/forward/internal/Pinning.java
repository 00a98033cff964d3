package io.bamqp.proxy.forward.internal;

import io.bamqp.security.OwnSockets;
import io.bamqp.security.SpecialAddresses;
import io.vertx.core.Future;
import java.net.InetAddress;

/**
 * Resolves a target once, in the node's lookup pool, and picks the address to connect to: the proxy
 * connects to exactly this address, so a name cannot be re-resolved (DNS rebinding) to somewhere
 * that was not checked.
 *
 * <p>A client's own target may be any address but this router's own: its loopback and every address
 * of its interfaces ({@link OwnSockets}, read again when they change), which stay closed unless
 * {@code security.allowDestinations} opens them. The node's own listening sockets are never
 * forwarded to, whatever is opened: they are pinned as such and the caller serves them (the PAC
 * file, {@code /fetch}) or refuses them as a loop. A redirect's target was chosen by an origin, not
 * by the user, so it gets the stricter rule a neighbor's fetch gets: no private, loopback,
 * link-local or other special address unless {@code security.allowDestinations} opens it.
 */
final class Pinning {
  private Pinning() {}

  /**
   * Pins a target the client named; with {@code pacAsked}, any address of this router counts as its
   * own socket (the PAC file is served on every port of the router).
   */
  static Future<PinnedTarget> pin(ProxyContext context, RequestTarget target, boolean pacAsked) {
    return resolve(context, target)
        .compose(addresses -> check(context, target, addresses, false, pacAsked));
  }

  /** Pins a target an origin redirected {@code /fetch} to. */
  static Future<PinnedTarget> pinRedirect(ProxyContext context, RequestTarget target) {
    return resolve(context, target)
        .compose(addresses -> check(context, target, addresses, true, false));
  }

  private static Future<InetAddress[]> resolve(ProxyContext context, RequestTarget target) {
    OwnSockets own = context.ownSockets();
    return context
        .dns()
        .executeBlocking(
            () -> {
              InetAddress[] addresses = context.resolver().resolve(target.host());
              own.recheck(addresses);
              return addresses;
            },
            false)
        .recover(
            unresolved ->
                Future.failedFuture(context.failures().upstream(unresolved, target.authority())));
  }

  private static Future<PinnedTarget> check(
      ProxyContext context,
      RequestTarget target,
      InetAddress[] addresses,
      boolean redirected,
      boolean pacAsked) {
    OwnSockets own = context.ownSockets();
    for (InetAddress address : addresses) {
      if (own.isOwn(address, target.port()) || (pacAsked && own.isOwnAddress(address))) {
        return Future.succeededFuture(new PinnedTarget(target, address, true));
      }
    }
    String what = (redirected ? "redirect to " : "destination ") + target.authority() + ": ";
    for (InetAddress address : addresses) {
      if (opened(context, address)) {
        continue;
      }
      if (own.isOwnAddress(address)) {
        return Future.failedFuture(
            Refusal.OWN_ADDRESS.failure(
                what + address.getHostAddress() + " is an address of this router"));
      }
      String kind = redirected ? SpecialAddresses.kindOf(address) : null;
      if (kind != null) {
        return Future.failedFuture(
            Refusal.SPECIAL_ADDRESS.failure(what + address.getHostAddress() + " is " + kind));
      }
    }
    return Future.succeededFuture(new PinnedTarget(target, addresses[0], false));
  }

  private static boolean opened(ProxyContext context, InetAddress address) {
    return context.options().allowDestinations().stream().anyMatch(b -> b.contains(address));
  }
}
