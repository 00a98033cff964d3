package io.bamqp.discovery;

import io.bamqp.security.PeerId;
import java.util.Objects;

/**
 * A neighbor the owner listed in {@code peer.static}: reachable at {@code host:port} whether or not
 * mDNS is on. Listing a peer here does not trust it; {@code peer.trusted} does.
 *
 * @param id the peer's ID
 * @param host an IP literal or a DNS name (resolved by whoever connects, never by discovery)
 * @param port the peer's {@code peer.listen} port
 */
public record StaticPeer(PeerId id, String host, int port) {
  /** Checks the fields. */
  public StaticPeer {
    Objects.requireNonNull(id, "id");
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("static peer " + id + " has no host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("static peer " + id + " has port " + port);
    }
  }
}
