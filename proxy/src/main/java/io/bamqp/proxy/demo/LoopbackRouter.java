package io.bamqp.proxy.demo;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import io.bamqp.security.Identity;
import io.bamqp.security.PeerId;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The config of one router on the loopback test bed that the demo, the integration tests and the
 * benchmarks share: its outgoing connections leave from its own {@code address} (127.0.0.x, so the
 * test-bed origin can give it its own line), it listens on loopback only, shares its line with its
 * neighbors, and opens {@code 127.0.0.0/8} with {@code security.allowDestinations} so neighbors may
 * fetch from the local origin. Immutable; the {@code with…} methods return changed copies.
 *
 * @param address the router's WAN address, {@code wan.bindAddress}
 * @param lineMbps its line, {@code wan.lineRateMbps} and {@code sharing.maxRateMbps}
 * @param proxyPort {@code proxy.listen}'s port on 127.0.0.1 (0: any free port)
 * @param peerPort {@code peer.listen}'s port on 127.0.0.1 (0: any free port)
 * @param peers static peers: peer ID → peer port on 127.0.0.1, all of them trusted
 * @param maxJobs {@code sharing.maxConcurrentJobs}
 * @param aggregation extra {@code aggregation} keys, one {@code key: value} per line
 * @param logLevel {@code log.level}
 * @param mdns whether the router announces and browses with mDNS (on 127.0.0.1 only)
 * @param trusted peer IDs trusted besides the static peers (the homes this router serves)
 * @param stateDir {@code state.dir}: the download history lives there (the statistics page listens
 *     on an ephemeral loopback port)
 */
public record LoopbackRouter(
    String address,
    double lineMbps,
    int proxyPort,
    int peerPort,
    Map<String, Integer> peers,
    int maxJobs,
    String aggregation,
    String logLevel,
    String stateDir,
    java.util.Set<String> trusted,
    boolean mdns) {

  private static final AtomicInteger ROUTERS = new AtomicInteger();

  public LoopbackRouter {
    peers = Map.copyOf(peers);
    trusted = java.util.Set.copyOf(trusted);
  }

  /**
   * This router's peer ID, from the identity in its state directory (made on first use, as the node
   * itself would). Blocking.
   */
  public PeerId id() {
    try {
      return Identity.loadOrCreate(Path.of(stateDir)).id();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The same router finding its neighbors with mDNS on 127.0.0.1 (and still any static peers). */
  public LoopbackRouter withMdns() {
    return new LoopbackRouter(
        address,
        lineMbps,
        proxyPort,
        peerPort,
        peers,
        maxJobs,
        aggregation,
        logLevel,
        stateDir,
        trusted,
        true);
  }

  /** The same router also trusting these peers (to serve them, or to be asked by them). */
  public LoopbackRouter withTrusted(java.util.Collection<PeerId> ids) {
    java.util.Set<String> all = new java.util.TreeSet<>(trusted);
    ids.forEach(id -> all.add(id.toString()));
    return new LoopbackRouter(
        address,
        lineMbps,
        proxyPort,
        peerPort,
        peers,
        maxJobs,
        aggregation,
        logLevel,
        stateDir,
        all,
        mdns);
  }

  /**
   * A router with its own line; any free ports, no peers, the default jobs ({@link
   * BamqpConfig.Sharing#DEFAULT_MAX_CONCURRENT_JOBS}), warnings only, and a state directory of its
   * own under the system's temporary directory (created once it has something to keep).
   */
  public static LoopbackRouter of(String address, double lineMbps) {
    String stateDir =
        Path.of(
                System.getProperty("java.io.tmpdir"),
                "bamqp-testbed",
                address + "-" + ProcessHandle.current().pid() + "-" + ROUTERS.incrementAndGet())
            .toString();
    return new LoopbackRouter(
        address,
        lineMbps,
        0,
        0,
        Map.of(),
        BamqpConfig.Sharing.DEFAULT_MAX_CONCURRENT_JOBS,
        "",
        "warn",
        stateDir,
        java.util.Set.of(),
        false);
  }

  /** The same router keeping its state (the download history) in {@code dir}. */
  public LoopbackRouter withStateDir(Path dir) {
    return new LoopbackRouter(
        address,
        lineMbps,
        proxyPort,
        peerPort,
        peers,
        maxJobs,
        aggregation,
        logLevel,
        dir.toString(),
        trusted,
        mdns);
  }

  public LoopbackRouter withPorts(int proxy, int peer) {
    return new LoopbackRouter(
        address,
        lineMbps,
        proxy,
        peer,
        peers,
        maxJobs,
        aggregation,
        logLevel,
        stateDir,
        trusted,
        mdns);
  }

  /** The same router trusting and using these neighbors (peer ID → peer port). */
  public LoopbackRouter withPeers(Map<String, Integer> neighbors) {
    return new LoopbackRouter(
        address,
        lineMbps,
        proxyPort,
        peerPort,
        neighbors,
        maxJobs,
        aggregation,
        logLevel,
        stateDir,
        trusted,
        mdns);
  }

  public LoopbackRouter withMaxJobs(int jobs) {
    return new LoopbackRouter(
        address,
        lineMbps,
        proxyPort,
        peerPort,
        peers,
        jobs,
        aggregation,
        logLevel,
        stateDir,
        trusted,
        mdns);
  }

  public LoopbackRouter withAggregation(String keys) {
    return new LoopbackRouter(
        address, lineMbps, proxyPort, peerPort, peers, maxJobs, keys, logLevel, stateDir, trusted,
        mdns);
  }

  public LoopbackRouter withLogLevel(String level) {
    return new LoopbackRouter(
        address,
        lineMbps,
        proxyPort,
        peerPort,
        peers,
        maxJobs,
        aggregation,
        level,
        stateDir,
        trusted,
        mdns);
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
          listen: 127.0.0.1:%d
        wan:
          bindAddress: %s
          lineRateMbps: %s
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
        address,
        lineMbps,
        aggregation.indent(2).stripTrailing(),
        peerPort,
        trustedIds(),
        staticPeers.isEmpty() ? "    []" : staticPeers.toString().stripTrailing(),
        lineMbps,
        maxJobs,
        mdns,
        stateDir.replace("'", "''"),
        logLevel);
  }

  private List<String> trustedIds() {
    java.util.Set<String> all = new java.util.TreeSet<>(trusted);
    all.addAll(peers.keySet());
    return List.copyOf(all);
  }

  /** The parsed config. */
  public BamqpConfig config() {
    return ConfigLoader.parse(yaml());
  }
}
