package io.bamqp.discovery;

import java.util.Objects;
import java.util.Optional;

/**
 * One change in the {@link PeerTable}: a peer appeared, changed (state, addresses, measurements,
 * what it offers) or left the table.
 *
 * @param kind what happened
 * @param peer the entry after the change; for {@link Kind#REMOVED}, the entry as it last was
 * @param previous the entry before the change; empty for {@link Kind#ADDED}
 */
public record PeerEvent(Kind kind, PeerEntry peer, Optional<PeerEntry> previous) {
  /** What happened to the peer. */
  public enum Kind {
    ADDED,
    CHANGED,
    REMOVED
  }

  /** Checks the fields. */
  public PeerEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(previous, "previous");
  }

  /** True when the peer is new, gone, or its state moved. */
  public boolean stateChanged() {
    return kind != Kind.CHANGED || previous.orElseThrow().state() != peer.state();
  }

  /** True when the peer is new, gone, or its addresses (or their order) changed. */
  public boolean addressChanged() {
    return kind != Kind.CHANGED || !previous.orElseThrow().addresses().equals(peer.addresses());
  }

  /** True when the peer just became usable or stopped being usable. */
  public boolean usableChanged() {
    return previous.map(PeerEntry::usable).orElse(false) != (kind != Kind.REMOVED && peer.usable());
  }
}
