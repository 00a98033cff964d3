package io.bamqp.discovery;

import io.bamqp.security.PeerId;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a node discovers its neighbors and shows itself to them; setters return {@code this}, and
 * {@link Discovery#start} takes a copy.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code mdns}</td><td>{@value #DEFAULT_MDNS} (off: static peers only, no JmDNS)</td></tr>
 *   <tr><td>{@code advertisedAddresses}</td><td>none: required with mDNS on; LAN side only</td></tr>
 *   <tr><td>{@code self}</td><td>required</td></tr>
 *   <tr><td>{@code port}</td><td>{@value #DEFAULT_PORT}</td></tr>
 *   <tr><td>{@code protocolVersion}</td><td>{@value #DEFAULT_PROTOCOL_VERSION}</td></tr>
 *   <tr><td>{@code sharing}</td><td>{@value #DEFAULT_SHARING}</td></tr>
 *   <tr><td>{@code rateMbps}</td><td>{@value #DEFAULT_RATE_MBPS}</td></tr>
 *   <tr><td>{@code staticPeers}, {@code trusted}</td><td>empty</td></tr>
 *   <tr><td>{@code checkInterval}</td><td>{@link #DEFAULT_CHECK_INTERVAL} (2 s)</td></tr>
 *   <tr><td>{@code checkTimeout}</td><td>{@link #DEFAULT_CHECK_TIMEOUT} (1.5 s)</td></tr>
 *   <tr><td>{@code missesBeforeOffline}</td><td>{@value #DEFAULT_MISSES_BEFORE_OFFLINE}</td></tr>
 * </table>
 *
 * <p>With the defaults a peer that stops answering is {@link PeerState#OFFLINE} within about {@code
 * missesBeforeOffline × checkInterval + checkTimeout} = 5.5 s.
 */
public final class DiscoveryOptions {
  /** mDNS is on unless the owner turns it off ({@code discovery.mdns}). */
  public static final boolean DEFAULT_MDNS = true;

  /** The peer protocol's default port ({@code peer.listen}). */
  public static final int DEFAULT_PORT = 7432;

  /** The peer protocol version announced in TXT {@code v}. */
  public static final String DEFAULT_PROTOCOL_VERSION = "1";

  /** Sharing is off until the owner opts in ({@code sharing.enabled}). */
  public static final boolean DEFAULT_SHARING = false;

  /** The rate offered to neighbors, Mbit/s ({@code sharing.maxRateMbps}). */
  public static final double DEFAULT_RATE_MBPS = 10;

  /** Time between two liveness checks of one peer. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(2);

  /** How long one liveness check may take before it counts as a miss. */
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofMillis(1500);

  /** Consecutive failed checks that make a peer {@link PeerState#OFFLINE}. */
  public static final int DEFAULT_MISSES_BEFORE_OFFLINE = 2;

  private boolean mdns = DEFAULT_MDNS;
  private List<InetAddress> advertisedAddresses = List.of();
  private PeerId self;
  private int port = DEFAULT_PORT;
  private String protocolVersion = DEFAULT_PROTOCOL_VERSION;
  private boolean sharing = DEFAULT_SHARING;
  private double rateMbps = DEFAULT_RATE_MBPS;
  private List<StaticPeer> staticPeers = List.of();
  private Set<PeerId> trusted = Set.of();
  private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
  private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;
  private int missesBeforeOffline = DEFAULT_MISSES_BEFORE_OFFLINE;

  /** Options with every default; {@link #setSelf} is still required. */
  public DiscoveryOptions() {}

  /** A copy of {@code other}. */
  public DiscoveryOptions(DiscoveryOptions other) {
    mdns = other.mdns;
    advertisedAddresses = other.advertisedAddresses;
    self = other.self;
    port = other.port;
    protocolVersion = other.protocolVersion;
    sharing = other.sharing;
    rateMbps = other.rateMbps;
    staticPeers = other.staticPeers;
    trusted = other.trusted;
    checkInterval = other.checkInterval;
    checkTimeout = other.checkTimeout;
    missesBeforeOffline = other.missesBeforeOffline;
  }

  public boolean isMdns() {
    return mdns;
  }

  /** Turns mDNS advertise and browse on or off; off never creates a JmDNS instance. */
  public DiscoveryOptions setMdns(boolean mdns) {
    this.mdns = mdns;
    return this;
  }

  public List<InetAddress> getAdvertisedAddresses() {
    return advertisedAddresses;
  }

  /**
   * The local addresses to advertise and browse on, one mDNS responder each. Name LAN-side
   * addresses only: an announcement on the WAN side would tell the ISP's network about this node.
   * {@link LanAddresses#choose} picks them.
   */
  public DiscoveryOptions setAdvertisedAddresses(Collection<InetAddress> addresses) {
    this.advertisedAddresses = List.copyOf(addresses);
    return this;
  }

  public PeerId getSelf() {
    return self;
  }

  /** This node's ID: announced in TXT {@code id}, and ignored when heard back. */
  public DiscoveryOptions setSelf(PeerId self) {
    this.self = Objects.requireNonNull(self, "self");
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The peer protocol port to announce. */
  public DiscoveryOptions setPort(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port);
    }
    this.port = port;
    return this;
  }

  public String getProtocolVersion() {
    return protocolVersion;
  }

  /** The peer protocol version to announce. */
  public DiscoveryOptions setProtocolVersion(String protocolVersion) {
    this.protocolVersion = Objects.requireNonNull(protocolVersion, "protocolVersion");
    return this;
  }

  public boolean isSharing() {
    return sharing;
  }

  /** Whether to announce that this node accepts work from neighbors. */
  public DiscoveryOptions setSharing(boolean sharing) {
    this.sharing = sharing;
    return this;
  }

  public double getRateMbps() {
    return rateMbps;
  }

  /** The rate to announce as offered to neighbors, Mbit/s. */
  public DiscoveryOptions setRateMbps(double rateMbps) {
    if (!(rateMbps >= 0) || Double.isInfinite(rateMbps)) {
      throw new IllegalArgumentException("rate " + rateMbps + " Mbit/s");
    }
    this.rateMbps = rateMbps;
    return this;
  }

  public List<StaticPeer> getStaticPeers() {
    return staticPeers;
  }

  /** The neighbors listed in {@code peer.static}. */
  public DiscoveryOptions setStaticPeers(Collection<StaticPeer> staticPeers) {
    this.staticPeers = List.copyOf(staticPeers);
    return this;
  }

  public Set<PeerId> getTrusted() {
    return trusted;
  }

  /** The IDs in {@code peer.trusted}: the only peers ever checked or used. */
  public DiscoveryOptions setTrusted(Collection<PeerId> trusted) {
    this.trusted = Set.copyOf(trusted);
    return this;
  }

  public Duration getCheckInterval() {
    return checkInterval;
  }

  /** Time between two liveness checks of one peer. */
  public DiscoveryOptions setCheckInterval(Duration checkInterval) {
    this.checkInterval = positive(checkInterval, "checkInterval");
    return this;
  }

  public Duration getCheckTimeout() {
    return checkTimeout;
  }

  /** How long one liveness check may take. */
  public DiscoveryOptions setCheckTimeout(Duration checkTimeout) {
    this.checkTimeout = positive(checkTimeout, "checkTimeout");
    return this;
  }

  public int getMissesBeforeOffline() {
    return missesBeforeOffline;
  }

  /** Consecutive failed checks that make a peer offline. */
  public DiscoveryOptions setMissesBeforeOffline(int missesBeforeOffline) {
    if (missesBeforeOffline < 1) {
      throw new IllegalArgumentException("missesBeforeOffline " + missesBeforeOffline);
    }
    this.missesBeforeOffline = missesBeforeOffline;
    return this;
  }

  private static Duration positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + d);
    }
    return d;
  }
}
