package io.bamqp.discovery;

import io.bamqp.security.PeerId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every neighbor this node knows of, from {@code peer.static} and mDNS merged by {@link PeerId},
 * with its trust, liveness and measurements.
 *
 * <p><b>Trust.</b> Discovery never grants trust: a peer is trusted only while its ID is in the set
 * last given to {@link #setTrusted}. Untrusted peers are listed ({@link PeerState#DISCOVERED}, with
 * the line to add to the config as the reason) and never contacted.
 *
 * <p><b>Threads.</b> Every method may be called from any thread and returns at once; none blocks on
 * I/O. State sits behind one internal lock held only for in-memory updates. Listeners run on the
 * single {@code bamqp-discovery} thread, one event at a time, in the order the changes happened;
 * they must not block (hand work to an event loop, e.g. {@code vertx.runOnContext}). A listener may
 * call back into the table; the resulting events follow the current one.
 */
public interface PeerTable {
  /**
   * Replaces the trusted set ({@code peer.trusted}, e.g. on config reload). Newly trusted peers are
   * checked at once; peers leaving the set stop being checked and forget their liveness.
   */
  void setTrusted(Set<PeerId> trusted);

  /**
   * Replaces the static peers ({@code peer.static}, e.g. on config reload). A peer dropped from the
   * list stays while mDNS still announces it or it is trusted and was announced.
   *
   * @throws IllegalArgumentException if an ID appears twice
   */
  void setStaticPeers(Collection<StaticPeer> peers);

  /**
   * Sets a peer aside with a reason its owner will read (e.g. "bad chunk signature"): it leaves
   * {@link #usable()} and is no longer checked until {@link #release}. Applies to a peer not seen
   * yet too. Discovery keeps quarantines in memory only.
   */
  void quarantine(PeerId id, String reason);

  /** Lifts a quarantine; the peer is checked again before it is used. */
  void release(PeerId id);

  /**
   * Records the rate this node measured from a peer (bytes per second); unknown IDs are ignored.
   */
  void recordRate(PeerId id, long bytesPerSecond);

  /** One peer, if known. */
  Optional<PeerEntry> get(PeerId id);

  /** Every known peer, ordered by ID; an immutable copy. */
  List<PeerEntry> snapshot();

  /** The peers work may go to now: trusted, online, not quarantined and sharing; ordered by ID. */
  List<PeerEntry> usable();

  /**
   * Calls {@code listener} with every later change (new peer, state, addresses, measurements,
   * removal). Pair with {@link #snapshot()} for the current state: no change is missed after this
   * returns.
   */
  void addListener(Consumer<PeerEvent> listener);

  /** Stops calling a listener added before; events already queued for it may still arrive. */
  void removeListener(Consumer<PeerEvent> listener);
}
