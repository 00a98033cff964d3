package io.bamqp.discovery;

/**
 * Where a peer stands, from this node's point of view. Only {@link #ONLINE} peers that share are
 * {@linkplain PeerEntry#usable() usable}.
 */
public enum PeerState {
  /** Seen (on mDNS or in {@code peer.static}) but not in {@code peer.trusted}: never contacted. */
  DISCOVERED,
  /** Trusted, not checked yet: the first liveness check is under way. */
  TRUSTED,
  /** Trusted and answering liveness checks. */
  ONLINE,
  /** Trusted but not answering, or it said goodbye over mDNS; checks go on, so it can return. */
  OFFLINE,
  /** Trusted but set aside by this node (e.g. a bad chunk signature); never checked or used. */
  QUARANTINED
}
