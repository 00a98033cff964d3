package io.bamqp.peer;

import io.bamqp.security.PeerId;

/**
 * Hears the range bytes a helper sends each home as they are sent (for the owner's per-peer
 * ledger): content bytes, not framing. Called on the helper's event loop, often (once per origin
 * read): count, never block.
 */
@FunctionalInterface
public interface BytesGivenListener {
  /** Hears nothing. */
  BytesGivenListener NONE = (peer, bytes) -> {};

  /** {@code bytes} more were sent to {@code peer}, the authenticated home. */
  void given(PeerId peer, long bytes);
}
