package io.bamqp.peer;

import io.bamqp.security.PeerId;

/**
 * The owner's admission policy beyond the fixed limits (monthly and per-peer caps, off-peak
 * schedules), asked by the helper for every offer and at the start of every range or job (with its
 * first chunk's length) and again before every origin read a range relays (with that read's
 * length): a decline in mid-range cuts the range there, so no limit is passed by a long range.
 * Called on the helper's event loop, often: answer at once from counters, never block.
 */
@FunctionalInterface
public interface SharingGate {
  /** Admits everything. */
  SharingGate OPEN = (peer, bytes) -> null;

  /**
   * Why {@code peer} may not have {@code bytes} more now, for the home to read (an offer is
   * declined with it, a range is refused as {@link PeerErrorCode#DECLINED}); {@code null} to allow.
   * {@code peer} is the authenticated home.
   */
  String declineReason(PeerId peer, long bytes);
}
