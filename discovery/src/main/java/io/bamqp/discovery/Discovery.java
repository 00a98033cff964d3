package io.bamqp.discovery;

import io.bamqp.discovery.internal.DiscoveryImpl;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * A running discovery: this node's mDNS announcement ({@value #SERVICE_TYPE}, TXT {@code id},
 * {@code v}, {@code sharing}, {@code rate}) on the LAN-side addresses it was given, the browse for
 * its neighbors' announcements, the static peers, and the liveness checks of trusted peers, all
 * merged into one {@link PeerTable}.
 *
 * <p>Blocking mDNS work runs on a daemon thread named {@code bamqp-discovery-mdns}; timers, check
 * results and table listeners on one named {@code bamqp-discovery}. No method here blocks except
 * {@link #close()}.
 */
public interface Discovery extends AutoCloseable {
  /** The DNS-SD service type bamqp nodes announce and browse. */
  String SERVICE_TYPE = "_bamqp._tcp.local.";

  /** The longest {@link #close()} waits for goodbyes to go out (jmdns needs about 3 s). */
  Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Starts discovery. With mDNS on, announcing starts in the background and the node becomes
   * visible to neighbors after mDNS's probe (about 4 s); if a responder cannot start on an address
   * it is logged and the node carries on with what it has.
   *
   * @param probe checks trusted peers; called only for IDs in the trusted set
   * @throws IllegalArgumentException if {@code self} is missing, or mDNS is on without an address
   */
  static Discovery start(DiscoveryOptions options, LivenessProbe probe) {
    return DiscoveryImpl.start(options, probe);
  }

  /** The peer table, live until {@link #close()}. */
  PeerTable table();

  /**
   * Announces new {@code sharing} and {@code rate} values (config reload), without a goodbye: the
   * TXT record is re-announced once the first announcement is complete. Trusted neighbors also
   * learn the new values from their next liveness check. Returns at once.
   */
  void updateAdvertisement(boolean sharing, double rateMbps);

  /**
   * Stops checks and timers, sends mDNS goodbyes and closes the responders. Idempotent: every call
   * returns the same stage, complete once the goodbyes are out (a few seconds with mDNS on).
   */
  CompletionStage<Void> closeAsync();

  /**
   * {@link #closeAsync()}, waiting at most {@link #CLOSE_TIMEOUT} for it. Blocks: call it off any
   * event loop.
   */
  @Override
  void close();
}
