package io.bamqp.discovery.internal;

import io.bamqp.discovery.LivenessProbe.Probe;
import io.bamqp.discovery.PeerEntry;
import io.bamqp.discovery.PeerEvent;
import io.bamqp.discovery.PeerTable;
import io.bamqp.discovery.StaticPeer;
import io.bamqp.security.PeerId;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The {@link PeerTable}: every field below is guarded by {@code lock}, held only for in-memory
 * work. Events are queued on {@code events} while the lock is held, so a serial executor delivers
 * them in the order the changes happened.
 */
public final class PeerTableImpl implements PeerTable {
  private static final Logger LOG = System.getLogger("io.bamqp.discovery");

  /**
   * Untrusted peers kept from mDNS at most; more are ignored, so a flood of made-up announcements
   * cannot grow the table without bound.
   */
  static final int MAX_UNTRUSTED_PEERS = 64;

  private final PeerId self;
  private final int missesBeforeOffline;
  private final Executor events;
  private final Clock clock;
  private final Runnable checkSoon;
  private final List<Consumer<PeerEvent>> listeners = new CopyOnWriteArrayList<>();

  private final Object lock = new Object();
  private final Map<PeerId, PeerRow> peers = new TreeMap<>();
  private final Map<PeerId, String> quarantined = new HashMap<>();
  private Set<PeerId> trusted = Set.of();
  private boolean untrustedFloodLogged;
  private boolean closed;

  /**
   * @param events a serial executor: listeners run there
   * @param checkSoon asks for a liveness round now (a peer became checkable)
   */
  PeerTableImpl(
      PeerId self, int missesBeforeOffline, Executor events, Clock clock, Runnable checkSoon) {
    this.self = self;
    this.missesBeforeOffline = missesBeforeOffline;
    this.events = events;
    this.clock = clock;
    this.checkSoon = checkSoon;
  }

  @Override
  public void setTrusted(Set<PeerId> ids) {
    Set<PeerId> next = Set.copyOf(ids);
    synchronized (lock) {
      Map<PeerId, PeerEntry> before = entries();
      Set<PeerId> previous = trusted;
      trusted = next;
      for (PeerRow peer : new ArrayList<>(peers.values())) {
        if (previous.contains(peer.id) && !next.contains(peer.id)) {
          peer.resetLiveness();
        }
        settle(peer, before.get(peer.id));
      }
    }
    checkSoon.run();
  }

  @Override
  public void setStaticPeers(Collection<StaticPeer> list) {
    Map<PeerId, StaticPeer> next = new HashMap<>();
    for (StaticPeer peer : list) {
      if (next.put(peer.id(), peer) != null) {
        throw new IllegalArgumentException("peer " + peer.id() + " is listed twice in peer.static");
      }
    }
    next.remove(self);
    synchronized (lock) {
      Map<PeerId, PeerEntry> before = entries();
      for (StaticPeer peer : next.values()) {
        peers.computeIfAbsent(peer.id(), PeerRow::new);
      }
      for (PeerRow peer : new ArrayList<>(peers.values())) {
        peer.setStatic(next.get(peer.id));
        settle(peer, before.get(peer.id));
      }
    }
    checkSoon.run();
  }

  @Override
  public void quarantine(PeerId id, String reason) {
    String why = reason == null || reason.isBlank() ? "no reason given" : reason;
    update(id, peer -> {}, () -> quarantined.put(id, why));
  }

  @Override
  public void release(PeerId id) {
    update(id, PeerRow::resetLiveness, () -> quarantined.remove(id));
    checkSoon.run();
  }

  @Override
  public void recordRate(PeerId id, long bytesPerSecond) {
    update(id, peer -> peer.measured(Math.max(0, bytesPerSecond)), () -> {});
  }

  @Override
  public Optional<PeerEntry> get(PeerId id) {
    synchronized (lock) {
      return Optional.ofNullable(peers.get(id)).map(this::entry);
    }
  }

  @Override
  public List<PeerEntry> snapshot() {
    synchronized (lock) {
      return List.copyOf(entries().values());
    }
  }

  @Override
  public List<PeerEntry> usable() {
    return snapshot().stream().filter(PeerEntry::usable).toList();
  }

  @Override
  public void addListener(Consumer<PeerEvent> listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(Consumer<PeerEvent> listener) {
    listeners.remove(listener);
  }

  /** An mDNS announcement (on a jmdns thread). */
  void sighted(Sighting sighting) {
    PeerId id = sighting.id();
    if (id.equals(self)) {
      return;
    }
    boolean fresh;
    synchronized (lock) {
      fresh = !peers.containsKey(id);
      if (fresh && !trusted.contains(id) && untrustedCount() >= MAX_UNTRUSTED_PEERS) {
        if (!untrustedFloodLogged) {
          untrustedFloodLogged = true;
          LOG.log(
              Level.WARNING,
              "mDNS: {0} untrusted peers listed already; ignoring more, such as {1}",
              MAX_UNTRUSTED_PEERS,
              sighting.serviceName());
        }
        return;
      }
      PeerRow peer = peers.computeIfAbsent(id, PeerRow::new);
      PeerEntry before = fresh ? null : entry(peer);
      if (!peer.sighted(sighting, clock.instant())) {
        LOG.log(
            Level.INFO,
            "mDNS: ignoring service ''{0}'': {1} services already claim {2}",
            sighting.serviceName(),
            PeerRow.MAX_ANNOUNCEMENTS,
            id);
      }
      settle(peer, before);
    }
    if (fresh) {
      checkSoon.run();
    }
  }

  /** An mDNS goodbye from one service announcing {@code id}, or its announcement expired. */
  void saidGoodbye(PeerId id, String serviceName) {
    update(id, peer -> peer.saidGoodbye(serviceName), () -> {});
  }

  /** Claims the checks due now: trusted, not quarantined, not already under way. */
  List<Liveness.Check> dueChecks() {
    List<Liveness.Check> due = new ArrayList<>();
    synchronized (lock) {
      for (PeerRow peer : peers.values()) {
        if (checkable(peer.id) && !peer.checkInFlight()) {
          peer.checkStarted();
          due.add(new Liveness.Check(peer.id, peer.addresses(), peer.hasWorkingAddress()));
        }
      }
    }
    return due;
  }

  void answered(PeerId id, InetSocketAddress address, Probe probe) {
    update(
        id,
        peer -> {
          if (checkable(id)) {
            peer.answered(
                address, probe.rtt(), probe.sharing(), probe.offeredRateMbps(), clock.instant());
          } else {
            peer.checkAbandoned(); // it left the trusted set or went to quarantine meanwhile
          }
        },
        () -> {});
  }

  void missed(PeerId id) {
    update(
        id,
        peer -> {
          if (checkable(id)) {
            peer.missed(missesBeforeOffline);
          } else {
            peer.checkAbandoned();
          }
        },
        () -> {});
  }

  /** Stops queueing events. */
  void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  private boolean checkable(PeerId id) {
    return trusted.contains(id) && !quarantined.containsKey(id);
  }

  private void update(PeerId id, Consumer<PeerRow> change, Runnable tableChange) {
    synchronized (lock) {
      PeerRow peer = peers.get(id);
      PeerEntry before = peer == null ? null : entry(peer);
      tableChange.run();
      if (peer != null) {
        change.accept(peer);
        settle(peer, before);
      }
    }
  }

  /** Puts a changed record in place (or drops it) and queues the event, under the lock. */
  private void settle(PeerRow peer, PeerEntry before) {
    if (peer.forgettable(trusted.contains(peer.id))) {
      peers.remove(peer.id);
      if (before != null) {
        emit(new PeerEvent(PeerEvent.Kind.REMOVED, before, Optional.of(before)));
      }
      if (untrustedCount() < MAX_UNTRUSTED_PEERS) {
        untrustedFloodLogged = false;
      }
      return;
    }
    peers.put(peer.id, peer);
    PeerEntry after = entry(peer);
    if (before == null) {
      emit(new PeerEvent(PeerEvent.Kind.ADDED, after, Optional.empty()));
    } else if (!sameButLastSeen(before, after)) {
      emit(new PeerEvent(PeerEvent.Kind.CHANGED, after, Optional.of(before)));
    }
  }

  private void emit(PeerEvent event) {
    if (closed) {
      return;
    }
    try {
      events.execute(() -> deliver(event));
    } catch (RejectedExecutionException e) {
      // closing: nobody listens any more
    }
  }

  private void deliver(PeerEvent event) {
    for (Consumer<PeerEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a peer table listener failed on " + event.kind(), e);
      }
    }
  }

  private Map<PeerId, PeerEntry> entries() {
    Map<PeerId, PeerEntry> all = new TreeMap<>();
    peers.forEach((id, peer) -> all.put(id, entry(peer)));
    return all;
  }

  private PeerEntry entry(PeerRow peer) {
    return peer.toEntry(trusted.contains(peer.id), quarantined.get(peer.id), missesBeforeOffline);
  }

  private int untrustedCount() {
    int count = 0;
    for (PeerRow peer : peers.values()) {
      if (!trusted.contains(peer.id) && !peer.isStatic()) {
        count++;
      }
    }
    return count;
  }

  private static boolean sameButLastSeen(PeerEntry a, PeerEntry b) {
    return a.equals(
        new PeerEntry(
            b.id(),
            b.state(),
            b.source(),
            b.trusted(),
            b.addresses(),
            b.sharing(),
            b.offeredRateMbps(),
            b.rtt(),
            b.measuredBytesPerSecond(),
            b.failures(),
            a.lastSeen(),
            b.reason()));
  }
}
