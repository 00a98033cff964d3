package io.bamqp.security;

import java.util.Collection;
import java.util.Set;

/**
 * The peer IDs this node exchanges work with ({@code peer.trusted}), replaceable while the node
 * runs: a reloaded config calls {@link #replace}, and the next handshake and the next request see
 * the new set. Thread-safe: readers see one whole set, the old or the new.
 */
public final class TrustedPeers {
  private volatile Set<PeerId> ids;

  private TrustedPeers(Set<PeerId> ids) {
    this.ids = ids;
  }

  /** A set holding {@code ids}. */
  public static TrustedPeers of(Collection<PeerId> ids) {
    return new TrustedPeers(Set.copyOf(ids));
  }

  /** Replaces the whole set at once. */
  public void replace(Collection<PeerId> newIds) {
    ids = Set.copyOf(newIds);
  }

  /** Whether {@code id} is trusted now. */
  public boolean contains(PeerId id) {
    return ids.contains(id);
  }

  /** The set as it is now (immutable). */
  public Set<PeerId> snapshot() {
    return ids;
  }

  @Override
  public String toString() {
    return "TrustedPeers" + ids;
  }
}
