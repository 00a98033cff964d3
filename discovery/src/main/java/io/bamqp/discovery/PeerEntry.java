package io.bamqp.discovery;

import io.bamqp.security.PeerId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One peer as the {@link PeerTable} sees it at one moment; immutable.
 *
 * <p>{@code addresses} is never empty and its first element is the one to use: the address where
 * the last liveness check succeeded if there is one, then the {@code peer.static} address, then
 * what mDNS announced. mDNS is unauthenticated (anyone can announce any ID), so announcements add
 * addresses but never remove the one that last proved itself; the peer protocol's TLS pin decides
 * who is real.
 *
 * @param id the peer's ID
 * @param state where it stands
 * @param source how this node learned of it
 * @param trusted whether its ID is in the trusted set
 * @param addresses where it can be reached, best first (static DNS names stay unresolved)
 * @param sharing whether it accepts work (its last check's answer, else its mDNS TXT, else true)
 * @param offeredRateMbps the rate it offers neighbors in Mbit/s (0 until it says)
 * @param rtt the round trip of its last successful check
 * @param measuredBytesPerSecond the rate this node last measured from it ({@link
 *     PeerTable#recordRate})
 * @param failures consecutive failed liveness checks
 * @param lastSeen when it last answered a check or was announced on mDNS
 * @param reason why it is not usable, in words for its owner; empty when usable
 */
public record PeerEntry(
    PeerId id,
    PeerState state,
    PeerSource source,
    boolean trusted,
    List<InetSocketAddress> addresses,
    boolean sharing,
    double offeredRateMbps,
    Optional<Duration> rtt,
    OptionalLong measuredBytesPerSecond,
    int failures,
    Optional<Instant> lastSeen,
    String reason) {

  /** Checks the fields and freezes the address list. */
  public PeerEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(source, "source");
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("peer " + id + " has no address");
    }
    Objects.requireNonNull(rtt, "rtt");
    Objects.requireNonNull(measuredBytesPerSecond, "measuredBytesPerSecond");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(reason, "reason");
  }

  /** The address to use now: the first of {@link #addresses()}. */
  public InetSocketAddress address() {
    return addresses.get(0);
  }

  /** Trusted, online, not quarantined and sharing: a source the planner may give work to. */
  public boolean usable() {
    return state == PeerState.ONLINE && sharing;
  }
}
