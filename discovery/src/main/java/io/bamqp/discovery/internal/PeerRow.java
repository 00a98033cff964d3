package io.bamqp.discovery.internal;

import io.bamqp.discovery.PeerEntry;
import io.bamqp.discovery.PeerSource;
import io.bamqp.discovery.PeerState;
import io.bamqp.discovery.StaticPeer;
import io.bamqp.security.HostPort;
import io.bamqp.security.MalformedAddress;
import io.bamqp.security.PeerId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** What the table knows of one peer; mutable, guarded by the {@link PeerTableImpl}'s lock. */
final class PeerRow {

  private enum Liveness {
    UNCHECKED,
    ONLINE,
    OFFLINE
  }

  final PeerId id;
  private InetSocketAddress staticAddress;

  /**
   * Announcements heard for this ID, by service instance, at most this many: a spoofer announcing
   * the same ID under another name adds addresses, and never replaces the real instance's.
   */
  static final int MAX_ANNOUNCEMENTS = 4;

  private final Map<String, List<InetSocketAddress>> announcements = new LinkedHashMap<>();
  private boolean everAnnounced;
  private InetSocketAddress working;
  private Liveness liveness = Liveness.UNCHECKED;
  private boolean saidGoodbye;
  private int failures;
  private boolean checkInFlight;
  private boolean sharing = true;
  private boolean sharingFromCheck;
  private double offeredRateMbps;
  private Duration rtt;
  private Long measuredBytesPerSecond;
  private Instant lastSeen;

  PeerRow(PeerId id) {
    this.id = id;
  }

  void setStatic(StaticPeer peer) {
    InetSocketAddress address = peer == null ? null : endpoint(peer.host(), peer.port());
    if (working != null && working.equals(staticAddress) && !working.equals(address)) {
      working = null; // the owner moved it
    }
    staticAddress = address;
  }

  boolean isStatic() {
    return staticAddress != null;
  }

  /**
   * An announcement: its addresses replace those its service announced before; other services' and
   * the one that proved itself stay. False when ignored (too many services claim this ID).
   */
  boolean sighted(Sighting sighting, Instant now) {
    String service = sighting.serviceName().toLowerCase(Locale.ROOT); // DNS names ignore case
    if (!announcements.containsKey(service) && announcements.size() >= MAX_ANNOUNCEMENTS) {
      return false;
    }
    announcements.put(service, sighting.addresses());
    everAnnounced = true;
    if (!sharingFromCheck) {
      sharing = sighting.sharing();
      offeredRateMbps = sighting.rateMbps();
    }
    lastSeen = now;
    return true;
  }

  /** A service said goodbye (or expired); the peer is gone once no service announces it. */
  void saidGoodbye(String serviceName) {
    if (announcements.remove(serviceName.toLowerCase(Locale.ROOT)) == null
        || !announcements.isEmpty()) {
      return;
    }
    saidGoodbye = true;
    if (liveness != Liveness.UNCHECKED) {
      liveness = Liveness.OFFLINE;
    }
  }

  boolean checkInFlight() {
    return checkInFlight;
  }

  void checkStarted() {
    checkInFlight = true;
  }

  void answered(
      InetSocketAddress address, Duration rtt, boolean sharing, double rate, Instant now) {
    checkInFlight = false;
    liveness = Liveness.ONLINE;
    saidGoodbye = false;
    failures = 0;
    working = address;
    this.rtt = rtt;
    this.sharing = sharing;
    sharingFromCheck = true;
    offeredRateMbps = rate;
    lastSeen = now;
  }

  void missed(int missesBeforeOffline) {
    checkInFlight = false;
    failures++;
    if (failures >= missesBeforeOffline) {
      liveness = Liveness.OFFLINE;
    }
  }

  /** Ends a check whose result no longer matters. */
  void checkAbandoned() {
    checkInFlight = false;
    resetLiveness();
  }

  /** Forgets liveness: the peer left the trusted set or quarantine, and is checked afresh. */
  void resetLiveness() {
    liveness = Liveness.UNCHECKED;
    failures = 0;
  }

  void measured(long bytesPerSecond) {
    measuredBytesPerSecond = bytesPerSecond;
  }

  /** Nothing left to show: not static, and gone from mDNS or never a trusted acquaintance. */
  boolean forgettable(boolean trusted) {
    return !isStatic() && (!everAnnounced || (announcements.isEmpty() && !trusted));
  }

  /** Where to check it, best first. */
  List<InetSocketAddress> addresses() {
    Set<InetSocketAddress> all = new LinkedHashSet<>();
    if (working != null) {
      all.add(working);
    }
    if (staticAddress != null) {
      all.add(staticAddress);
    }
    announcements.values().forEach(all::addAll);
    return new ArrayList<>(all);
  }

  boolean hasWorkingAddress() {
    return working != null;
  }

  PeerEntry toEntry(boolean trusted, String quarantine, int missesBeforeOffline) {
    PeerState state = state(trusted, quarantine);
    return new PeerEntry(
        id,
        state,
        everAnnounced ? (isStatic() ? PeerSource.BOTH : PeerSource.MDNS) : PeerSource.STATIC,
        trusted,
        addresses(),
        sharing,
        offeredRateMbps,
        Optional.ofNullable(rtt),
        measuredBytesPerSecond == null
            ? OptionalLong.empty()
            : OptionalLong.of(measuredBytesPerSecond),
        failures,
        Optional.ofNullable(lastSeen),
        reason(state, quarantine, missesBeforeOffline));
  }

  private PeerState state(boolean trusted, String quarantine) {
    if (quarantine != null) {
      return PeerState.QUARANTINED;
    }
    if (!trusted) {
      return PeerState.DISCOVERED;
    }
    switch (liveness) {
      case ONLINE:
        return PeerState.ONLINE;
      case OFFLINE:
        return PeerState.OFFLINE;
      default:
        return PeerState.TRUSTED;
    }
  }

  private String reason(PeerState state, String quarantine, int missesBeforeOffline) {
    switch (state) {
      case QUARANTINED:
        return "quarantined: " + quarantine;
      case DISCOVERED:
        return "not in peer.trusted — add `- " + id + "` to peer.trusted to use it";
      case TRUSTED:
        return "not checked yet";
      case OFFLINE:
        return failures >= missesBeforeOffline || !saidGoodbye
            ? "offline: " + failures + " liveness checks failed"
            : "offline: said goodbye over mDNS";
      default:
        return sharing ? "" : "sharing is off";
    }
  }

  /** An IP literal becomes an address without a DNS query; a name stays unresolved. */
  private static InetSocketAddress endpoint(String host, int port) {
    try {
      Optional<InetAddress> literal = HostPort.of(host, port).literalAddress();
      if (literal.isPresent()) {
        return new InetSocketAddress(literal.get(), port);
      }
    } catch (MalformedAddress e) {
      // not a host HostPort reads: let whoever connects report it
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
