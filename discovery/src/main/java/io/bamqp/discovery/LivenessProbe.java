package io.bamqp.discovery;

import io.bamqp.security.PeerId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A light "are you there?" sent to one trusted peer at one address, supplied by whoever speaks the
 * peer protocol (discovery itself never talks to peers). Discovery calls it only for peers in the
 * trusted set, on a {@code bamqp-discovery} thread, and gives up on an answer after {@link
 * DiscoveryOptions#getCheckTimeout()}: an implementation must not block and should answer on any
 * thread it likes.
 */
@FunctionalInterface
public interface LivenessProbe {
  /**
   * Checks {@code id} at {@code address}. The stage fails (or never completes) when the peer does
   * not answer, or answers with another identity than {@code id}.
   *
   * @param address where to ask; it may be unresolved (a static peer's DNS name)
   */
  CompletionStage<Probe> check(PeerId id, InetSocketAddress address);

  /**
   * A peer's answer, authenticated by the peer protocol: it overrides what the peer's
   * unauthenticated mDNS announcement said.
   *
   * @param rtt the round trip the check took
   * @param sharing whether the peer accepts work now
   * @param offeredRateMbps the rate the peer offers to neighbors, in Mbit/s
   */
  record Probe(Duration rtt, boolean sharing, double offeredRateMbps) {
    /** Checks the fields. */
    public Probe {
      Objects.requireNonNull(rtt, "rtt");
      if (!(offeredRateMbps >= 0) || Double.isInfinite(offeredRateMbps)) {
        throw new IllegalArgumentException("offered rate " + offeredRateMbps + " Mbit/s");
      }
    }
  }
}
