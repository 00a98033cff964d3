package io.bamqp.proxy.demo;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The config of one router on the loopback test bed that the demo, the integration tests and the
 * benchmarks share: its outgoing connections leave from its own {@code address} (127.0.0.x, so the
 * test-bed origin can give it its own line), it listens on loopback only, shares its line with its
 * neighbors, and opens {@code 127.0.0.0/8} with {@code security.allowDestinations} so neighbors may
 * fetch from the local origin. Immutable: build one with {@link #builder}, a changed copy with
 * {@link #toBuilder}.
 *
 * <pre>{@code
 * LoopbackRouter helper = LoopbackRouter.builder("127.0.0.12", 20).trusted(List.of(home.id())).build();
 * Node.start(vertx, helper.config());
 * }</pre>
 */
public final class LoopbackRouter {
  private static final AtomicInteger ROUTERS = new AtomicInteger();

  private final String address;
  private final double lineMbps;
  private final int proxyPort;
  private final int peerPort;
  private final Map<String, Integer> peers;
  private final int maxJobs;
  private final String aggregation;
  private final String logLevel;
  private final String stateDir;
  private final Set<String> trusted;
  private final boolean mdns;
  private final List<Path> originCaFiles;
  private final int httpPort;
  private final List<String> dnsServers;
  private final List<String> cdnExtraDomains;

  private LoopbackRouter(Builder builder) {
    this.address = builder.address;
    this.lineMbps = builder.lineMbps;
    this.proxyPort = builder.proxyPort;
    this.peerPort = builder.peerPort;
    this.peers = Map.copyOf(builder.peers);
    this.maxJobs = builder.maxJobs;
    this.aggregation = builder.aggregation;
    this.logLevel = builder.logLevel;
    this.stateDir = builder.stateDir;
    this.trusted = Set.copyOf(builder.trusted);
    this.mdns = builder.mdns;
    this.originCaFiles = List.copyOf(builder.originCaFiles);
    this.httpPort = builder.httpPort;
    this.dnsServers = builder.dnsServers;
    this.cdnExtraDomains = builder.cdnExtraDomains;
  }

  /**
   * A router with its own line: any free ports, no peers, the default jobs ({@link
   * BamqpConfig.Sharing#DEFAULT_MAX_CONCURRENT_JOBS}), warnings only, and a state directory of its
   * own under the system's temporary directory (created once it has something to keep).
   *
   * @param address the router's WAN address, {@code wan.bindAddress}
   * @param lineMbps its line, {@code wan.lineRateMbps} and {@code sharing.maxRateMbps}
   */
  public static Builder builder(String address, double lineMbps) {
    return new Builder(address, lineMbps);
  }

  /** {@code builder(address, lineMbps).build()}. */
  public static LoopbackRouter of(String address, double lineMbps) {
    return builder(address, lineMbps).build();
  }

  /** A builder holding this router's settings, to make a changed copy. */
  public Builder toBuilder() {
    Builder builder = new Builder(address, lineMbps);
    builder.proxyPort = proxyPort;
    builder.peerPort = peerPort;
    builder.peers = peers;
    builder.maxJobs = maxJobs;
    builder.aggregation = aggregation;
    builder.logLevel = logLevel;
    builder.stateDir = stateDir;
    builder.trusted = new TreeSet<>(trusted);
    builder.mdns = mdns;
    builder.originCaFiles = originCaFiles;
    builder.httpPort = httpPort;
    builder.dnsServers = dnsServers;
    builder.cdnExtraDomains = cdnExtraDomains;
    return builder;
  }

  /** The router's WAN address, {@code wan.bindAddress}. */
  public String address() {
    return address;
  }

  /** {@code state.dir}. */
  public String stateDir() {
    return stateDir;
  }

  /**
   * This router's peer ID, from the identity in its state directory (made on first use, as the node
   * itself would). Blocking.
   */
  public PeerId id() {
    try {
      return Identity.loadOrCreate(Path.of(stateDir)).id();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The settings of one router; {@link #build} makes it. */
  public static final class Builder {
    private final String address;
    private final double lineMbps;
    private int proxyPort;
    private int peerPort;
    private Map<String, Integer> peers = Map.of();
    private int maxJobs = BamqpConfig.Sharing.DEFAULT_MAX_CONCURRENT_JOBS;
    private String aggregation = "";
    private String logLevel = "warn";
    private String stateDir;
    private Set<String> trusted = new TreeSet<>();
    private boolean mdns;
    private List<Path> originCaFiles = List.of();
    private int httpPort = -1;
    private List<String> dnsServers = List.of();
    private List<String> cdnExtraDomains = List.of();

    private Builder(String address, double lineMbps) {
      this.address = address;
      this.lineMbps = lineMbps;
      this.stateDir =
          Path.of(
                  System.getProperty("java.io.tmpdir"),
                  "bamqp-testbed",
                  address + "-" + ProcessHandle.current().pid() + "-" + ROUTERS.incrementAndGet())
              .toString();
    }

    /** {@code proxy.listen} and {@code peer.listen} ports on 127.0.0.1 (0: any free port). */
    public Builder ports(int proxy, int peer) {
      this.proxyPort = proxy;
      this.peerPort = peer;
      return this;
    }

    /** Static peers, all of them trusted and used: peer ID → peer port on 127.0.0.1. */
    public Builder peers(Map<String, Integer> neighbors) {
      this.peers = Map.copyOf(neighbors);
      return this;
    }

    /** Also trust these peers (to serve them, or to be asked by them). */
    public Builder trusted(Collection<PeerId> ids) {
      ids.forEach(id -> trusted.add(id.toString()));
      return this;
    }

    /** {@code sharing.maxConcurrentJobs}. */
    public Builder maxJobs(int jobs) {
      this.maxJobs = jobs;
      return this;
    }

    /** Extra {@code aggregation} keys, one {@code key: value} per line. */
    public Builder aggregation(String keys) {
      this.aggregation = keys;
      return this;
    }

    /** {@code log.level}. */
    public Builder logLevel(String level) {
      this.logLevel = level;
      return this;
    }

    /** {@code state.dir}: the identity and the download history live there. */
    public Builder stateDir(Path dir) {
      this.stateDir = dir.toString();
      return this;
    }

    /** Find neighbors with mDNS on 127.0.0.1 too (static peers still count). */
    public Builder mdns() {
      this.mdns = true;
      return this;
    }

    /** {@code security.originCaFiles}: private CAs trusted for TLS to origins. */
    public Builder originCaFiles(List<Path> files) {
      this.originCaFiles = List.copyOf(files);
      return this;
    }

    /**
     * A second {@code proxy.listen} on this router's own address at {@code port}: what port 80 is
     * to a router in DNS mode.
     */
    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    /** {@code wan.dnsServers}: the resolvers this router looks origins up with. */
    public Builder dnsServers(List<String> servers) {
      this.dnsServers = List.copyOf(servers);
      return this;
    }

    /** {@code cdn.extraDomains}. */
    public Builder cdnExtraDomains(List<String> names) {
      this.cdnExtraDomains = List.copyOf(names);
      return this;
    }

    public LoopbackRouter build() {
      return new LoopbackRouter(this);
    }
  }

  /** The config file's text. */
  public String yaml() {
    StringBuilder staticPeers = new StringBuilder();
    new TreeMap<>(peers)
        .forEach(
            (name, port) ->
                staticPeers.append(
                    String.format(
                        Locale.ROOT, "    - {id: %s, address: \"127.0.0.1:%d\"}%n", name, port)));
    return String.format(
        Locale.ROOT,
        """
        proxy:
          listen: [127.0.0.1:%d%s]
        wan:
          bindAddress: %s
          lineRateMbps: %s
          dnsServers: [%s]
        cdn:
          extraDomains: [%s]
        aggregation:
          enabled: true
        %s
        peer:
          listen: 127.0.0.1:%d
          trusted: %s
          static:
        %s
        sharing:
          enabled: true
          maxRateMbps: %s
          maxConcurrentJobs: %d
        security:
          allowDestinations: [127.0.0.0/8]
          originCaFiles: [%s]
        discovery:
          mdns: %s
          advertiseAddresses: [127.0.0.1]
        stats:
          listen: 127.0.0.1:0
        state:
          dir: '%s'
        log:
          level: %s
        """,
        proxyPort,
        httpPort < 0 ? "" : ", " + address + ":" + httpPort,
        address,
        lineMbps,
        dnsServers.stream().map(server -> "\"" + server + "\"").collect(Collectors.joining(", ")),
        String.join(", ", cdnExtraDomains),
        aggregation.indent(2).stripTrailing(),
        peerPort,
        trustedIds(),
        staticPeers.isEmpty() ? "    []" : staticPeers.toString().stripTrailing(),
        lineMbps,
        maxJobs,
        originCaFiles.stream()
            .map(file -> "'" + file.toString().replace("'", "''") + "'")
            .collect(Collectors.joining(", ")),
        mdns,
        stateDir.replace("'", "''"),
        logLevel);
  }

  private List<String> trustedIds() {
    Set<String> all = new TreeSet<>(trusted);
    all.addAll(peers.keySet());
    return List.copyOf(all);
  }

  /** The parsed config. */
  public BamqpConfig config() {
    return ConfigLoader.parse(yaml());
  }
}
