package io.bamqp.discovery;

/** How this node learned of a peer. */
public enum PeerSource {
  /** Listed in {@code peer.static}. */
  STATIC,
  /** Announced itself over mDNS. */
  MDNS,
  /** Both listed in {@code peer.static} and announced over mDNS. */
  BOTH
}
