package io.bamqp.peer;

import io.bamqp.security.PeerId;

/**
 * The owner's admission policy beyond the fixed limits (monthly and per-peer caps, off-peak
 * schedules), asked by the helper for every offer (with the job's size) and every range (with the
 * range's length) before it commits to anything. Called on the helper's event loop: answer at once,
 * never block.
 */
@FunctionalInterface
public interface SharingGate {
  /** Admits everything. */
  SharingGate OPEN = (peer, bytes) -> null;

  /**
   * Why {@code peer} may not have {@code bytes} now, for the home to read (an offer is declined
   * with it, a range is refused as {@link PeerErrorCode#DECLINED}); {@code null} to allow. {@code
   * peer} is the authenticated home.
   */
  String declineReason(PeerId peer, long bytes);
}
