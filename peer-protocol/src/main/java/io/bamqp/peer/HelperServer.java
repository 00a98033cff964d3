package io.bamqp.peer;

import io.bamqp.peer.internal.HelperVerticle;
import io.bamqp.security.PeerId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;

/**
 * The helper side of the protocol: a peer listener that accepts jobs within its owner's limits and
 * fetches the ranges homes ask for from the origin, over this node's own line.
 *
 * <p>For each range it vets the URL with the {@link HelperOptions#destinationPolicy()} (off the
 * event loop), connects to the checked address only, sends {@code Range} and {@code If-Range}, and
 * checks the origin's 206 (status, {@code Content-Range}, validator, coding) before the first byte
 * goes home. A refusal is an error answer, never bytes. A body that fails or stalls mid-way resets
 * the home's connection, so a truncated range never looks complete; a home that goes away resets
 * the origin request at once. All jobs share one token bucket of {@link
 * HelperOptions#maxRateMbps()}. It also refuses, whatever the policy says, URLs that point at its
 * own peer listener.
 *
 * <p>Every connection is mutual TLS 1.3 ({@link HelperOptions#identity()}) and only homes in the
 * trusted set complete the handshake; every request must carry the home's signature (checked
 * against the TLS-authenticated key, the audience, a time window and a nonce); every range is sent
 * as signed chunks; every range fetch is written to the {@link AuditLog}. The owner's {@link
 * SharingGate} is asked per offer and per range, and a {@link BytesGivenListener} hears the bytes
 * sent per home.
 *
 * <p>The helper runs in a verticle of its own: its jobs, bucket and connections live on one event
 * loop whoever starts it.
 */
public interface HelperServer {

  /** Deploys a helper and answers it once it listens. */
  static Future<HelperServer> start(Vertx vertx, HelperOptions options) {
    return HelperVerticle.deploy(vertx, options);
  }

  /** The port the peer listener is bound to. */
  int port();

  /**
   * Changes what the owner shares, at once and without a restart (a reloaded {@code sharing}
   * section): new offers and ranges see the new settings; jobs already held keep their slots and
   * ranges in flight keep flowing (under the new rate). Callable from any thread.
   */
  void updateSharing(boolean enabled, double maxRateMbps, int maxConcurrentJobs);

  /**
   * Replaces the homes this helper serves (a reloaded {@code peer.trusted}): the next handshake and
   * the next request of any connection see the new set; a removed home's requests are refused as
   * {@link PeerErrorCode#NOT_TRUSTED}, its ranges in flight finish. Callable from any thread.
   *
   * @throws IllegalStateException on a helper without identities
   */
  void updateTrusted(Set<PeerId> trusted);

  /**
   * Caps the rate of sharing below {@code maxRateMbps}, at once (the shared token bucket's rate
   * becomes the smaller of the two): the owner's proxy lowers it to a floor while its own clients
   * are busy, or to a share of its line. {@code Long.MAX_VALUE} lifts the limit. Callable from any
   * thread.
   */
  void limitRate(long bytesPerSecond);

  /** Stops listening, drops every job and closes every connection, home and origin. */
  Future<Void> close();
}
