package io.bamqp.proxy.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.bamqp.peer.AuditLog;
import io.bamqp.peer.HelperOptions;
import io.bamqp.proxy.cdn.CdnDomains;
import io.bamqp.security.Cidr;
import io.bamqp.security.HostPort;
import io.bamqp.security.OriginTrust;
import io.bamqp.security.PeerId;
import io.bamqp.security.UnusableCaFile;
import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A node's configuration, in the shape of the YAML file. Every key is optional; a missing key takes
 * the documented default (the constants below, listed in the README's configuration table). A
 * default that belongs to the peer protocol (the peer port, the helper's sharing caps, the audit
 * retention) is defined there once and only named here.
 *
 * <p>Construct through {@link ConfigLoader}, which refuses unknown keys, wrong types and bad values
 * with a message naming the key.
 */
public record BamqpConfig(
    Proxy proxy,
    Wan wan,
    Cdn cdn,
    Aggregation aggregation,
    Peer peer,
    Sharing sharing,
    Discovery discovery,
    Security security,
    Stats stats,
    State state,
    Log log) {

  public BamqpConfig {
    proxy =
        Objects.requireNonNullElseGet(
            proxy,
            () ->
                new Proxy(null, null, null, null, null, null, null, null, null, null, null, null));
    wan = Objects.requireNonNullElseGet(wan, () -> new Wan(null, null, null, null));
    cdn = Objects.requireNonNullElseGet(cdn, () -> new Cdn(null, null));
    aggregation =
        Objects.requireNonNullElseGet(
            aggregation, () -> new Aggregation(null, null, null, null, null, null, null, null));
    peer = Objects.requireNonNullElseGet(peer, () -> new Peer(null, null, null));
    sharing =
        Objects.requireNonNullElseGet(
            sharing, () -> new Sharing(null, null, null, null, null, null, null, null));
    discovery = Objects.requireNonNullElseGet(discovery, () -> new Discovery(null, null));
    security = Objects.requireNonNullElseGet(security, () -> new Security(null, null, null, null));
    stats = Objects.requireNonNullElseGet(stats, () -> new Stats(null, null, null, null));
    state = Objects.requireNonNullElseGet(state, () -> new State(null));
    log = Objects.requireNonNullElseGet(log, () -> new Log(null, null, null));
  }

  /** The configuration with every default. */
  public static BamqpConfig defaults() {
    return new BamqpConfig(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The HTTP front that LAN clients talk to. */
  public record Proxy(
      @JsonProperty("listen") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          List<Endpoint> listeners,
      List<Cidr> allowedClients,
      List<Integer> connectPorts,
      ByteSize maxHeaderSize,
      ByteSize maxUriLength,
      Duration connectTimeout,
      Duration originTimeout,
      Duration idleTimeout,
      Duration headerTimeout,
      Integer maxClientConnections,
      Integer maxConnectionsPerClient,
      Integer maxConnectionsPerOrigin) {

    /** Squid's port, the one users expect. */
    public static final Endpoint DEFAULT_LISTEN = new Endpoint("0.0.0.0", 3128);

    /** At most this many listeners: a node on port 3128 and port 80 needs two. */
    public static final int MAX_LISTENERS = 8;

    /** Loopback and the private ranges a home LAN uses; nothing routable from the Internet. */
    public static final List<Cidr> DEFAULT_ALLOWED_CLIENTS =
        List.of(
            Cidr.parse("127.0.0.0/8"),
            Cidr.parse("10.0.0.0/8"),
            Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.168.0.0/16"),
            Cidr.parse("::1/128"),
            Cidr.parse("fc00::/7"),
            Cidr.parse("fe80::/10"));

    /** CONNECT is allowed to HTTPS only, as Squid ships. */
    public static final List<Integer> DEFAULT_CONNECT_PORTS = List.of(443);

    public static final ByteSize DEFAULT_MAX_HEADER_SIZE = new ByteSize(16 * 1024);
    public static final ByteSize DEFAULT_MAX_URI_LENGTH = new ByteSize(8 * 1024);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_ORIGIN_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

    /**
     * A whole request head (request line and headers) must arrive within this: the first from the
     * accept, each later one on a kept-alive connection from its first byte. A client trickling its
     * head gets 408 and the connection closes, so slow heads cannot hold every slot.
     */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

    public static final int DEFAULT_MAX_CLIENT_CONNECTIONS = 1024;

    /**
     * Connections one client address may hold at once: far more than a browser opens (6 per host,
     * some hosts at once), a sixteenth of {@link #DEFAULT_MAX_CLIENT_CONNECTIONS}, so one device
     * cannot take every slot.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;

    /**
     * Pooled connections to one origin: a quarter of {@link #DEFAULT_MAX_CLIENT_CONNECTIONS}, so
     * that many LAN clients asking one host at once (or the home line's ranges of several
     * aggregated downloads from one mirror) do not queue for a connection; at 32, 200 clients of
     * one origin waited hundreds of milliseconds ({@code bench/concurrency.sh}'s small requests).
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ORIGIN = 256;

    public Proxy {
      listeners = List.copyOf(Objects.requireNonNullElse(listeners, List.of(DEFAULT_LISTEN)));
      allowedClients =
          List.copyOf(Objects.requireNonNullElse(allowedClients, DEFAULT_ALLOWED_CLIENTS));
      connectPorts = List.copyOf(Objects.requireNonNullElse(connectPorts, DEFAULT_CONNECT_PORTS));
      maxHeaderSize = Objects.requireNonNullElse(maxHeaderSize, DEFAULT_MAX_HEADER_SIZE);
      maxUriLength = Objects.requireNonNullElse(maxUriLength, DEFAULT_MAX_URI_LENGTH);
      connectTimeout = Objects.requireNonNullElse(connectTimeout, DEFAULT_CONNECT_TIMEOUT);
      originTimeout = Objects.requireNonNullElse(originTimeout, DEFAULT_ORIGIN_TIMEOUT);
      idleTimeout = Objects.requireNonNullElse(idleTimeout, DEFAULT_IDLE_TIMEOUT);
      headerTimeout = Objects.requireNonNullElse(headerTimeout, DEFAULT_HEADER_TIMEOUT);
      maxClientConnections =
          Objects.requireNonNullElse(maxClientConnections, DEFAULT_MAX_CLIENT_CONNECTIONS);
      maxConnectionsPerClient =
          Objects.requireNonNullElse(maxConnectionsPerClient, DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
      maxConnectionsPerOrigin =
          Objects.requireNonNullElse(maxConnectionsPerOrigin, DEFAULT_MAX_CONNECTIONS_PER_ORIGIN);
    }

    /**
     * The first of {@code proxy.listen}: the one PAC files, the statistics page and the log name as
     * "the proxy".
     */
    public Endpoint listen() {
      return listeners.get(0);
    }

    void validate() {
      check(!listeners.isEmpty(), "proxy.listen", "needs at least one host:port");
      check(
          listeners.size() <= MAX_LISTENERS,
          "proxy.listen",
          "has " + listeners.size() + " addresses; at most " + MAX_LISTENERS);
      check(
          listeners.stream().distinct().count() == listeners.size(),
          "proxy.listen",
          "names the same host:port twice: " + listeners);
      for (int port : connectPorts) {
        check(
            port >= 1 && port <= 65535,
            "proxy.connectPorts",
            "port " + port + " is outside 1-65535");
      }
      check(
          maxHeaderSize.bytes() >= 1024 && maxHeaderSize.bytes() <= 1 << 20,
          "proxy.maxHeaderSize",
          maxHeaderSize + " is outside 1KiB-1MiB");
      check(
          maxUriLength.bytes() >= 256 && maxUriLength.bytes() <= 1 << 20,
          "proxy.maxUriLength",
          maxUriLength + " is outside 256-1MiB");
      positive(connectTimeout, "proxy.connectTimeout");
      positive(originTimeout, "proxy.originTimeout");
      positive(idleTimeout, "proxy.idleTimeout");
      positive(headerTimeout, "proxy.headerTimeout");
      check(maxClientConnections >= 1, "proxy.maxClientConnections", "must be at least 1");
      check(maxConnectionsPerClient >= 1, "proxy.maxConnectionsPerClient", "must be at least 1");
      check(maxConnectionsPerOrigin >= 1, "proxy.maxConnectionsPerOrigin", "must be at least 1");
    }
  }

  /**
   * The node's Internet side: one line ({@code bindAddress}, {@code lineRateMbps}), or several
   * ({@code lines}, the first one primary), each a source of its own for aggregated downloads.
   */
  public record Wan(
      String bindAddress, Double lineRateMbps, List<String> dnsServers, List<Line> lines) {
    /** Let the kernel choose the source address of outgoing connections. */
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";

    /** The own downlink the planner assumes until it has measured it. */
    public static final double DEFAULT_LINE_RATE_MBPS = 50;

    /** The one line's name when {@code wan.lines} is not given. */
    public static final String SHORTHAND_LINE_NAME = "wan";

    public Wan {
      lines = List.copyOf(Objects.requireNonNullElse(lines, List.of()));
      // With wan.lines, the primary line (the first) is the one the proxy's own traffic binds.
      Line primary = lines.isEmpty() ? null : lines.get(0);
      bindAddress =
          Objects.requireNonNullElse(
              bindAddress,
              primary != null && primary.bindAddress() != null
                  ? primary.bindAddress()
                  : DEFAULT_BIND_ADDRESS);
      lineRateMbps =
          Objects.requireNonNullElse(
              lineRateMbps,
              primary != null && primary.rateMbps() != null
                  ? primary.rateMbps()
                  : DEFAULT_LINE_RATE_MBPS);
      dnsServers = List.copyOf(Objects.requireNonNullElse(dnsServers, List.of()));
    }

    /** {@link #lineRateMbps} in bytes per second. */
    public long lineBytesPerSecond() {
      return Math.max(1, (long) (lineRateMbps * 1_000_000 / 8));
    }

    void validate() {
      validateLines();
      try {
        Cidr.parse(bindAddress);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "wan.bindAddress", "must be a numeric IP address: " + e.getMessage());
      }
      check(bindAddress.indexOf('/') < 0, "wan.bindAddress", "is an address, not a CIDR block");
      check(
          lineRateMbps > 0 && lineRateMbps <= 100_000,
          "wan.lineRateMbps",
          "must be in (0, 100000]");
      for (int i = 0; i < dnsServers.size(); i++) {
        try {
          DnsServer.parse(dnsServers.get(i));
        } catch (IllegalArgumentException e) {
          throw new ConfigException("wan.dnsServers[" + i + "]", e.getMessage());
        }
      }
    }

    /** {@link #dnsServers} parsed; empty means the system's resolvers. */
    public List<java.net.InetSocketAddress> dnsServerAddresses() {
      return dnsServers.stream().map(DnsServer::parse).toList();
    }

    private void validateLines() {
      if (lines.isEmpty()) {
        return;
      }
      Set<String> names = new java.util.HashSet<>();
      Set<InetAddress> addresses = new java.util.HashSet<>();
      for (int i = 0; i < lines.size(); i++) {
        String key = "wan.lines[" + i + "]";
        Line line = lines.get(i);
        line.validate(key);
        check(names.add(line.name()), key + ".name", "'" + line.name() + "' is used twice");
        check(
            addresses.add(line.address()),
            key + ".bindAddress",
            line.bindAddress() + " is another line's already");
      }
      Line primary = lines.get(0);
      check(
          !primary.metered(),
          "wan.lines[0].metered",
          "the first line is the primary: every download's first response and all other traffic"
              + " leave by it; list a metered line after it");
      check(
          bindAddress.equals(primary.bindAddress()),
          "wan.bindAddress",
          "is "
              + bindAddress
              + " but wan.lines[0].bindAddress is "
              + primary.bindAddress()
              + ": with wan.lines, leave wan.bindAddress out (the first line is the primary)");
      check(
          lineRateMbps.equals(primary.rateMbps()),
          "wan.lineRateMbps",
          "is "
              + lineRateMbps
              + " but wan.lines[0].rateMbps is "
              + primary.rateMbps()
              + ": with wan.lines, leave wan.lineRateMbps out");
    }

    /**
     * The lines the node aggregates over, the primary first: {@code wan.lines}, or the one line
     * {@value #SHORTHAND_LINE_NAME} made of {@code wan.bindAddress} and {@code wan.lineRateMbps}.
     */
    public List<Line> effectiveLines() {
      return lines.isEmpty()
          ? List.of(new Line(SHORTHAND_LINE_NAME, bindAddress, lineRateMbps, false, null, null))
          : lines;
    }

    /** Whether outgoing connections should bind a chosen source address. */
    public boolean bindsSourceAddress() {
      return !bindAddress.equals("0.0.0.0") && !bindAddress.equals("::");
    }
  }

  /**
   * One of the node's own lines ({@code wan.lines}).
   *
   * @param name its name on the page and in logs: lower-case letters, digits and dashes
   * @param bindAddress the numeric address its connections leave from; the OS must route that
   *     source address out of this line (see the README's multi-WAN section)
   * @param rateMbps its downlink, the planner's first guess until measured
   * @param metered a line with a data cap (LTE): used only for downloads of at least {@code
   *     minBytes} and within {@code monthlyCap}
   * @param monthlyCap a metered line's volume per calendar month; none by default
   * @param minBytes a metered line takes part only in downloads this large; {@value
   *     #DEFAULT_METERED_MIN_MIB} MiB by default
   */
  public record Line(
      String name,
      String bindAddress,
      Double rateMbps,
      Boolean metered,
      ByteSize monthlyCap,
      ByteSize minBytes) {
    /** The smallest download a metered line takes part in, unless {@code minBytes} says. */
    public static final long DEFAULT_METERED_MIN_MIB = 100;

    private static final java.util.regex.Pattern NAME =
        java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,15}");

    public Line {
      metered = Objects.requireNonNullElse(metered, false);
      minBytes =
          Objects.requireNonNullElse(minBytes, ByteSize.ofMebibytes(DEFAULT_METERED_MIN_MIB));
    }

    void validate(String key) {
      check(name != null, key + ".name", "is required");
      check(
          NAME.matcher(name).matches() && !name.equals("home"),
          key + ".name",
          "'"
              + name
              + "' must be 1-16 lower-case letters, digits or dashes, starting with a letter"
              + " (and not 'home', the primary line's source name)");
      check(bindAddress != null, key + ".bindAddress", "is required");
      check(bindAddress.indexOf('/') < 0, key + ".bindAddress", "is an address, not a CIDR block");
      InetAddress parsed;
      try {
        parsed = address();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            key + ".bindAddress", "must be a numeric IP address: " + e.getMessage());
      }
      check(
          !parsed.isAnyLocalAddress(),
          key + ".bindAddress",
          bindAddress + " is the wildcard: each line needs its own address");
      check(rateMbps != null, key + ".rateMbps", "is required");
      check(rateMbps > 0 && rateMbps <= 100_000, key + ".rateMbps", "must be in (0, 100000]");
      check(
          monthlyCap == null || metered,
          key + ".monthlyCap",
          "applies to metered lines only: set metered: true or leave it out");
      check(
          monthlyCap == null || monthlyCap.bytes() > 0,
          key + ".monthlyCap",
          "must be more than 0 (leave it out for no cap)");
    }

    /** {@link #bindAddress} parsed; throws {@link IllegalArgumentException} if it is no address. */
    InetAddress address() {
      Cidr.parse(bindAddress); // numeric only: never a name lookup below
      try {
        return InetAddress.getByName(bindAddress.trim());
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException("'" + bindAddress + "' is not an address", e);
      }
    }

    /** {@link #rateMbps} in bytes per second. */
    public long bytesPerSecond() {
      return Math.max(1, (long) (rateMbps * 1_000_000 / 8));
    }
  }

  /**
   * DNS mode: the download CDN names the LAN resolver points at this node ({@code bamqp dns} prints
   * the overrides), so consoles and update clients reach it without a proxy setting.
   *
   * @param services the built-in groups to use; every group by default
   * @param extraDomains more names ({@code example.com} or {@code *.example.com})
   */
  public record Cdn(List<String> services, List<String> extraDomains) {
    public Cdn {
      services =
          List.copyOf(Objects.requireNonNullElse(services, CdnDomains.builtInServiceNames()));
      extraDomains = List.copyOf(Objects.requireNonNullElse(extraDomains, List.of()));
    }

    void validate() {
      try {
        domains();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            e.getMessage().startsWith("unknown service") ? "cdn.services" : "cdn.extraDomains",
            e.getMessage());
      }
    }

    /** The names these settings choose. */
    public CdnDomains domains() {
      return CdnDomains.of(services, extraDomains);
    }
  }

  /** When and how a large download is split across the home line and neighbors. */
  public record Aggregation(
      Boolean enabled,
      ByteSize minBytes,
      ByteSize bufferBytes,
      Duration stallTimeout,
      List<String> credentialedDomains,
      Double spotCheckRatio,
      ByteSize totalBufferBytes,
      Boolean sidecarDigests) {
    public static final boolean DEFAULT_ENABLED = true;

    /** Smaller responses stream through untouched: splitting them costs more than it gains. */
    public static final ByteSize DEFAULT_MIN_BYTES = ByteSize.ofMebibytes(8);

    /** The reorder window: how far ahead of the client any source may fetch. */
    public static final ByteSize DEFAULT_BUFFER_BYTES = ByteSize.ofMebibytes(32);

    /** Silence beyond a source's predicted pace after which its range goes elsewhere. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Domains whose credentialed requests (cookies, authorization, signed URLs) may still be split
     * across neighbors; none by default, so a neighbor never fetches a private URL.
     */
    public static final List<String> DEFAULT_CREDENTIALED_DOMAINS = List.of();

    /**
     * The scale of the spot checks of neighbors' bytes ({@code SamplePlan}): at 1, the default, a
     * new neighbor's first 5.3 MiB are compared whole (its probation, once per neighbor in this
     * node's life, not per download), then 1/32 of each of its ranges. A neighbor altering a byte
     * per MiB from the start is caught in more than 99% of the 64 MiB downloads it first takes part
     * in; one that turns after its probation is caught at the floor's rate, 1 - e^(-share / 32 MiB)
     * of a download. Less scales both down; 0 turns checks off.
     */
    public static final double DEFAULT_SPOT_CHECK_RATIO = 1;

    /**
     * The node's reorder memory, shared equally by the aggregated downloads running (each up to its
     * {@code bufferBytes}): unset (null) by default, which means a quarter of the JVM's heap
     * ({@code -Xmx}), at least one 2 MiB window. A download whose equal share would be below 2 MiB
     * (or its whole {@code bufferBytes}, when smaller) streams through unaggregated.
     */
    public static final ByteSize DEFAULT_TOTAL_BUFFER_BYTES = null;

    /**
     * Whether a download is checked against what its origin publishes beside the file: its
     * Metalink's piece hashes ({@code Link: rel=describedby} or {@code FILE.meta4}), and without a
     * digest header the SHA-256 of its Metalink, {@code FILE.sha256} or its line in {@code
     * SHA256SUMS}: on, as mirrors publish them for exactly this; a few small requests per
     * aggregated download.
     */
    public static final boolean DEFAULT_SIDECAR_DIGESTS = true;

    /** The smallest explicit budget: two downloads' minimum windows. */
    public static final ByteSize MIN_TOTAL_BUFFER_BYTES = ByteSize.ofMebibytes(4);

    /** The largest explicit budget. */
    public static final ByteSize MAX_TOTAL_BUFFER_BYTES = ByteSize.ofMebibytes(64 << 10);

    public Aggregation {
      enabled = Objects.requireNonNullElse(enabled, DEFAULT_ENABLED);
      minBytes = Objects.requireNonNullElse(minBytes, DEFAULT_MIN_BYTES);
      bufferBytes = Objects.requireNonNullElse(bufferBytes, DEFAULT_BUFFER_BYTES);
      stallTimeout = Objects.requireNonNullElse(stallTimeout, DEFAULT_STALL_TIMEOUT);
      credentialedDomains =
          Objects.requireNonNullElse(credentialedDomains, DEFAULT_CREDENTIALED_DOMAINS).stream()
              .map(domain -> domain.toLowerCase(Locale.ROOT))
              .toList();
      spotCheckRatio = Objects.requireNonNullElse(spotCheckRatio, DEFAULT_SPOT_CHECK_RATIO);
      sidecarDigests = Objects.requireNonNullElse(sidecarDigests, DEFAULT_SIDECAR_DIGESTS);
    }

    void validate() {
      check(minBytes.bytes() >= 1, "aggregation.minBytes", "must be at least 1 byte");
      check(
          bufferBytes.bytes() >= 1 << 20 && bufferBytes.bytes() <= 1L << 30,
          "aggregation.bufferBytes",
          bufferBytes + " is outside 1MiB-1GiB");
      positive(stallTimeout, "aggregation.stallTimeout");
      for (int i = 0; i < credentialedDomains.size(); i++) {
        check(
            credentialedDomains.get(i).matches("[a-z0-9.-]+"),
            "aggregation.credentialedDomains[" + i + "]",
            "'" + credentialedDomains.get(i) + "' is not a domain name like example.com");
      }
      check(
          spotCheckRatio >= 0 && spotCheckRatio <= 1,
          "aggregation.spotCheckRatio",
          "must be in [0, 1]");
      check(
          totalBufferBytes == null
              || (totalBufferBytes.bytes() >= MIN_TOTAL_BUFFER_BYTES.bytes()
                  && totalBufferBytes.bytes() <= MAX_TOTAL_BUFFER_BYTES.bytes()),
          "aggregation.totalBufferBytes",
          totalBufferBytes + " is outside 4MiB-64GiB");
    }
  }

  /** The link between nodes: where this node listens and which neighbors it works with. */
  public record Peer(
      Endpoint listen, @JsonProperty("static") List<StaticPeer> staticPeers, List<PeerId> trusted) {
    /** The helper's listener, as {@link HelperOptions} defaults it: every interface. */
    public static final Endpoint DEFAULT_LISTEN =
        new Endpoint(HelperOptions.DEFAULT_HOST, HelperOptions.DEFAULT_PORT);

    public Peer {
      listen = Objects.requireNonNullElse(listen, DEFAULT_LISTEN);
      staticPeers = List.copyOf(Objects.requireNonNullElse(staticPeers, List.of()));
      trusted = List.copyOf(Objects.requireNonNullElse(trusted, List.of()));
    }

    /** The static peers this node may give work to: those whose ID is in {@code trusted}. */
    public List<StaticPeer> usablePeers() {
      return staticPeers.stream().filter(p -> trusted.contains(p.id())).toList();
    }

    void validate() {
      for (int i = 0; i < staticPeers.size(); i++) {
        StaticPeer peer = staticPeers.get(i);
        check(
            peer.id() != null,
            "peer.static[" + i + "].id",
            "every static peer needs its peer ID (`bamqp id` on its router prints it)");
        check(peer.address() != null, "peer.static[" + i + "].address", "is missing");
      }
    }
  }

  /**
   * A neighbor reached at a fixed address.
   *
   * @param id the neighbor's peer ID (it must also be in {@code peer.trusted} to get work)
   * @param address its {@code peer.listen} address
   */
  public record StaticPeer(PeerId id, Endpoint address) {}

  /**
   * What this node gives to neighbors: nothing until the owner opts in, and never more than these
   * caps. The effective rate is the least of {@code maxRateMbps} and {@code sharePercent} of the
   * own line; it drops to {@code yieldFloorMbps} while the node's own clients are downloading.
   */
  public record Sharing(
      Boolean enabled,
      Double maxRateMbps,
      Integer maxConcurrentJobs,
      Integer sharePercent,
      DailyWindow offPeak,
      ByteSize monthlyCap,
      ByteSize peerMonthlyCap,
      Double yieldFloorMbps) {
    /** Off until the owner opts in ({@link HelperOptions#DEFAULT_SHARING_ENABLED}). */
    public static final boolean DEFAULT_ENABLED = HelperOptions.DEFAULT_SHARING_ENABLED;

    /** {@value HelperOptions#DEFAULT_MAX_RATE_MBPS} Mbit/s, the helper's own default. */
    public static final double DEFAULT_MAX_RATE_MBPS = HelperOptions.DEFAULT_MAX_RATE_MBPS;

    /** {@value HelperOptions#DEFAULT_MAX_CONCURRENT_JOBS} jobs, the helper's own default. */
    public static final int DEFAULT_MAX_CONCURRENT_JOBS = HelperOptions.DEFAULT_MAX_CONCURRENT_JOBS;

    public static final int DEFAULT_SHARE_PERCENT = 100;

    /** What neighbor work keeps while own clients are busy: enough to keep their jobs alive. */
    public static final double DEFAULT_YIELD_FLOOR_MBPS = 0.5;

    public Sharing {
      enabled = Objects.requireNonNullElse(enabled, DEFAULT_ENABLED);
      maxRateMbps = Objects.requireNonNullElse(maxRateMbps, DEFAULT_MAX_RATE_MBPS);
      maxConcurrentJobs =
          Objects.requireNonNullElse(maxConcurrentJobs, DEFAULT_MAX_CONCURRENT_JOBS);
      sharePercent = Objects.requireNonNullElse(sharePercent, DEFAULT_SHARE_PERCENT);
      offPeak = Objects.requireNonNullElse(offPeak, DailyWindow.ALWAYS);
      yieldFloorMbps = Objects.requireNonNullElse(yieldFloorMbps, DEFAULT_YIELD_FLOOR_MBPS);
    }

    /** The sharing rate in Mbit/s against an own line of {@code lineMbps}. */
    public double rateMbps(double lineMbps) {
      return Math.min(maxRateMbps, lineMbps * sharePercent / 100.0);
    }

    void validate() {
      check(
          maxRateMbps > 0 && maxRateMbps <= 100_000,
          "sharing.maxRateMbps",
          "must be in (0, 100000]");
      check(maxConcurrentJobs >= 1, "sharing.maxConcurrentJobs", "must be at least 1");
      check(sharePercent >= 1 && sharePercent <= 100, "sharing.sharePercent", "must be in 1-100");
      check(
          monthlyCap == null || monthlyCap.bytes() > 0,
          "sharing.monthlyCap",
          "must be more than 0 (leave it out for no cap)");
      check(
          peerMonthlyCap == null || peerMonthlyCap.bytes() > 0,
          "sharing.peerMonthlyCap",
          "must be more than 0 (leave it out for no cap)");
      check(
          yieldFloorMbps > 0 && yieldFloorMbps <= maxRateMbps,
          "sharing.yieldFloorMbps",
          "must be in (0, sharing.maxRateMbps]");
    }
  }

  /**
   * How neighbors are found.
   *
   * @param mdns advertise and browse {@code _bamqp._tcp.local.}; static peers work either way
   * @param advertiseAddresses where to advertise; empty means every up, private (LAN-side) IPv4
   *     address of this machine other than {@code wan.bindAddress}
   */
  public record Discovery(Boolean mdns, List<String> advertiseAddresses) {
    public static final boolean DEFAULT_MDNS = true;

    public Discovery {
      mdns = Objects.requireNonNullElse(mdns, DEFAULT_MDNS);
      advertiseAddresses = List.copyOf(Objects.requireNonNullElse(advertiseAddresses, List.of()));
    }

    void validate() {
      for (int i = 0; i < advertiseAddresses.size(); i++) {
        String address = advertiseAddresses.get(i);
        String key = "discovery.advertiseAddresses[" + i + "]";
        check(address.indexOf('/') < 0, key, "is an address, not a CIDR block");
        try {
          Cidr.parse(address);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key, "must be a numeric IP address: " + e.getMessage());
        }
      }
    }
  }

  /**
   * Exceptions the owner makes to the destination policy, how long the helper keeps its audit log
   * of what it fetched for whom, and the private CAs trusted for TLS to origins.
   *
   * @param auditMaxBytes the most the audit log's files may hold together; the oldest are deleted
   *     first
   * @param originCaFiles PEM files of CA certificates that origins' certificates may chain to,
   *     trusted beside the system's CAs by this node's own fetches and its fetches for neighbors;
   *     relative paths are read from the working directory
   */
  public record Security(
      List<Cidr> allowDestinations,
      Integer auditRetentionDays,
      ByteSize auditMaxBytes,
      List<String> originCaFiles) {
    /** {@value AuditLog#DEFAULT_RETENTION_DAYS} days, the audit log's own default. */
    public static final int DEFAULT_AUDIT_RETENTION_DAYS = AuditLog.DEFAULT_RETENTION_DAYS;

    /**
     * 64 MiB over all audit files, the audit log's own default ({@link
     * AuditLog#DEFAULT_MAX_BYTES}).
     */
    public static final ByteSize DEFAULT_AUDIT_MAX_BYTES = new ByteSize(AuditLog.DEFAULT_MAX_BYTES);

    /** The smallest audit cap accepted: 1 MiB. */
    public static final long MIN_AUDIT_MAX_BYTES = 1024 * 1024;

    public Security {
      allowDestinations = List.copyOf(Objects.requireNonNullElse(allowDestinations, List.of()));
      auditRetentionDays =
          Objects.requireNonNullElse(auditRetentionDays, DEFAULT_AUDIT_RETENTION_DAYS);
      auditMaxBytes = Objects.requireNonNullElse(auditMaxBytes, DEFAULT_AUDIT_MAX_BYTES);
      originCaFiles = List.copyOf(Objects.requireNonNullElse(originCaFiles, List.of()));
    }

    /** {@link #originCaFiles()} as paths. */
    public List<Path> originCaPaths() {
      return originCaFiles.stream().map(Path::of).toList();
    }

    void validate() {
      check(
          auditRetentionDays >= 1 && auditRetentionDays <= 3650,
          "security.auditRetentionDays",
          "must be in 1-3650");
      check(
          auditMaxBytes.bytes() >= MIN_AUDIT_MAX_BYTES,
          "security.auditMaxBytes",
          "must be at least 1MiB");
      for (int i = 0; i < originCaFiles.size(); i++) {
        String key = "security.originCaFiles[" + i + "]";
        String file = originCaFiles.get(i);
        check(!file.isBlank(), key, "must name a PEM file");
        try {
          OriginTrust.readCaFile(Path.of(file));
        } catch (InvalidPathException e) {
          throw new ConfigException(key, "'" + file + "' is not a path: " + e.getReason());
        } catch (UnusableCaFile e) {
          throw new ConfigException(key, e.getMessage());
        }
      }
    }
  }

  /**
   * The statistics page and its API.
   *
   * @param token the secret that changing anything through the page needs; without one the page is
   *     read-only
   */
  public record Stats(Boolean enabled, Endpoint listen, String token, Integer historySize) {
    public static final boolean DEFAULT_ENABLED = true;

    /** Loopback: opening it to the LAN is the owner's choice, never the WAN's. */
    public static final Endpoint DEFAULT_LISTEN = new Endpoint("127.0.0.1", 8088);

    /** Finished downloads kept in {@code state.dir}. */
    public static final int DEFAULT_HISTORY_SIZE = 500;

    public Stats {
      enabled = Objects.requireNonNullElse(enabled, DEFAULT_ENABLED);
      listen = Objects.requireNonNullElse(listen, DEFAULT_LISTEN);
      historySize = Objects.requireNonNullElse(historySize, DEFAULT_HISTORY_SIZE);
    }

    void validate() {
      check(
          token == null || token.length() >= 16,
          "stats.token",
          "must be at least 16 characters (leave it out for a read-only page)");
      check(historySize >= 1 && historySize <= 100_000, "stats.historySize", "must be in 1-100000");
    }
  }

  /** Where the node keeps what must survive a restart: its identity key, audit log, history. */
  public record State(String dir) {
    public static final String DEFAULT_DIR = "./bamqp-state";

    public State {
      dir = Objects.requireNonNullElse(dir, DEFAULT_DIR);
    }

    /** The directory, as a path. */
    public Path path() {
      return Path.of(dir);
    }

    void validate() {
      check(!dir.isBlank(), "state.dir", "must name a directory");
    }
  }

  /**
   * How much the node logs, and where.
   *
   * @param file a file to log to instead of stderr, rotated by size (the full file becomes {@code
   *     FILE.1}, replacing the one before); unset: stderr, which systemd's journal or OpenWrt's
   *     logd collect
   * @param maxBytes the size at which {@code file} is rotated; at most twice this on disk
   */
  public record Log(String level, String file, ByteSize maxBytes) {
    public static final String DEFAULT_LEVEL = "info";
    public static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug");

    /** Unset: log to stderr. */
    public static final String DEFAULT_FILE = null;

    public static final ByteSize DEFAULT_MAX_BYTES = ByteSize.ofMebibytes(10);
    public static final ByteSize MIN_MAX_BYTES = new ByteSize(64 * 1024);
    public static final ByteSize MAX_MAX_BYTES = ByteSize.ofMebibytes(1024);

    public Log {
      level = Objects.requireNonNullElse(level, DEFAULT_LEVEL).toLowerCase(Locale.ROOT);
      maxBytes = Objects.requireNonNullElse(maxBytes, DEFAULT_MAX_BYTES);
    }

    /** {@link #file()} as a path; null when logging to stderr. */
    public Path path() {
      return file == null ? null : Path.of(file);
    }

    void validate() {
      check(
          LEVELS.contains(level),
          "log.level",
          "'" + level + "' is not one of error, warn, info, debug");
      check(
          maxBytes.bytes() >= MIN_MAX_BYTES.bytes() && maxBytes.bytes() <= MAX_MAX_BYTES.bytes(),
          "log.maxBytes",
          maxBytes + " is outside 64KiB-1GiB");
      if (file != null) {
        check(!file.isBlank(), "log.file", "must name a file (leave it out to log to stderr)");
        Path path;
        try {
          path = Path.of(file).toAbsolutePath();
        } catch (InvalidPathException e) {
          throw new ConfigException("log.file", "'" + file + "' is not a path: " + e.getReason());
        }
        check(
            !java.nio.file.Files.isDirectory(path),
            "log.file",
            path + " is a directory; name a file in it, e.g. " + path.resolve("bamqp.log"));
        check(
            path.getParent() == null || java.nio.file.Files.isDirectory(path.getParent()),
            "log.file",
            "the folder " + path.getParent() + " does not exist");
      }
    }
  }

  /**
   * What is valid but probably not meant, one sentence each naming the key: the statistics page
   * reachable from other machines with no {@code stats.token}, and {@code proxy.allowedClients}
   * opening the proxy to every address. {@code bamqp check} prints them; {@code bamqp run} logs
   * them at WARN.
   */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (stats.enabled() && !isLoopback(stats.listen().host()) && (stats.token() == null)) {
      warnings.add(
          "stats.listen is "
              + stats.listen()
              + ", reachable from other machines, and stats.token is not set: anyone who reaches"
              + " it reads the downloads and neighbors the page lists (listen on 127.0.0.1, or"
              + " set stats.token if the LAN is meant)");
    }
    for (Cidr block : proxy.allowedClients()) {
      if (block.prefixLength() == 0) {
        warnings.add(
            "proxy.allowedClients contains "
                + block
                + ": the proxy serves every address that reaches proxy.listen, the Internet's"
                + " too if the port is open there (list the LAN's blocks instead)");
      }
    }
    return warnings;
  }

  private static boolean isLoopback(String host) {
    try {
      return host.equalsIgnoreCase("localhost")
          || HostPort.of(host, 0)
              .literalAddress()
              .filter(InetAddress::isLoopbackAddress)
              .isPresent();
    } catch (RuntimeException notAHost) {
      return false;
    }
  }

  void validate() {
    proxy.validate();
    wan.validate();
    cdn.validate();
    aggregation.validate();
    peer.validate();
    sharing.validate();
    discovery.validate();
    security.validate();
    stats.validate();
    state.validate();
    log.validate();
  }

  /**
   * The longest any timeout may be: 24 hours. Beyond it a value is a typo ({@code 1000h} for {@code
   * 1000ms}); it would pass {@code check} and then fail {@code run}, as Vert.x arms timers in int
   * milliseconds.
   */
  public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  private static void positive(Duration duration, String key) {
    check(!duration.isZero() && !duration.isNegative(), key, "must be longer than 0");
    check(
        duration.compareTo(MAX_TIMEOUT) <= 0,
        key,
        "must be at most "
            + MAX_TIMEOUT.toHours()
            + "h (a longer timeout is a typo, and one past 24 days cannot even be armed)");
  }

  private static void check(boolean condition, String key, String problem) {
    if (!condition) {
      throw new ConfigException(key, problem);
    }
  }
}
