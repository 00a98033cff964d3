package io.bamqp.proxy.cli;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.config.ConfigLoader;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
 * @param peers static peers: name → peer port on 127.0.0.1, all of them trusted
 * @param maxJobs {@code sharing.maxConcurrentJobs}
 * @param aggregation extra {@code aggregation} keys, one {@code key: value} per line
 * @param logLevel {@code log.level}
 */
public record LoopbackRouter(
    String address,
    double lineMbps,
    int proxyPort,
    int peerPort,
    Map<String, Integer> peers,
    int maxJobs,
    String aggregation,
    String logLevel) {

  public LoopbackRouter {
    peers = Map.copyOf(peers);
  }

  /** A router with its own line; any free ports, no peers, two jobs, warnings only. */
  public static LoopbackRouter of(String address, double lineMbps) {
    return new LoopbackRouter(address, lineMbps, 0, 0, Map.of(), 2, "", "warn");
  }

  public LoopbackRouter withPorts(int proxy, int peer) {
    return new LoopbackRouter(
        address, lineMbps, proxy, peer, peers, maxJobs, aggregation, logLevel);
  }

  /** The same router trusting and using these neighbors (name → peer port). */
  public LoopbackRouter withPeers(Map<String, Integer> neighbors) {
    return new LoopbackRouter(
        address, lineMbps, proxyPort, peerPort, neighbors, maxJobs, aggregation, logLevel);
  }

  public LoopbackRouter withMaxJobs(int jobs) {
    return new LoopbackRouter(
        address, lineMbps, proxyPort, peerPort, peers, jobs, aggregation, logLevel);
  }

  public LoopbackRouter withAggregation(String keys) {
    return new LoopbackRouter(
        address, lineMbps, proxyPort, peerPort, peers, maxJobs, keys, logLevel);
  }

  public LoopbackRouter withLogLevel(String level) {
    return new LoopbackRouter(
        address, lineMbps, proxyPort, peerPort, peers, maxJobs, aggregation, level);
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
        log:
          level: %s
        """,
        proxyPort,
        address,
        lineMbps,
        aggregation.indent(2).stripTrailing(),
        peerPort,
        peers.keySet().stream().sorted().toList(),
        staticPeers.isEmpty() ? "    []" : staticPeers.toString().stripTrailing(),
        lineMbps,
        maxJobs,
        logLevel);
  }

  /** The parsed config. */
  public BamqpConfig config() {
    return ConfigLoader.parse(yaml());
  }
}
