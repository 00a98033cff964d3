package io.bamqp.proxy.stats.internal;

import io.bamqp.proxy.aggregation.DownloadSnapshot;
import io.bamqp.proxy.aggregation.SourceSnapshot;
import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.stats.PeerView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The peers the page shows until a peer table is plugged in: the config's static and trusted peers,
 * with what the downloads in the history (and those running) observed of each.
 */
final class ConfiguredPeers {
  static final String NOTE =
      "from the config and this node's recorded downloads; no peer table or byte ledger is plugged"
          + " in yet";

  private final BamqpConfig.Peer config;
  private final Supplier<List<DownloadSnapshot>> downloads;

  /**
   * @param downloads live and recorded downloads, newest first
   */
  ConfiguredPeers(BamqpConfig.Peer config, Supplier<List<DownloadSnapshot>> downloads) {
    this.config = config;
    this.downloads = downloads;
  }

  List<PeerView> peers() {
    Map<String, String> addresses = new LinkedHashMap<>();
    config
        .staticPeers()
        .forEach(peer -> addresses.put(peer.id().toString(), peer.address().toString()));
    config.trusted().forEach(id -> addresses.putIfAbsent(id.toString(), null));
    List<DownloadSnapshot> seen = downloads.get();
    List<PeerView> peers = new ArrayList<>();
    addresses.forEach((id, address) -> peers.add(view(id, address, seen)));
    return peers;
  }

  private PeerView view(String id, String address, List<DownloadSnapshot> seen) {
    boolean trusted = config.trusted().stream().anyMatch(peer -> peer.toString().equals(id));
    String name = "peer:" + id;
    long received = 0;
    long failures = 0;
    SourceSnapshot latest = null;
    Long lastSeen = null;
    for (DownloadSnapshot download : seen) {
      for (SourceSnapshot source : download.sources()) {
        if (!source.name().equals(name)) {
          continue;
        }
        received += source.bytes();
        failures += source.failures();
        if (latest == null) {
          latest = source;
          lastSeen = download.startedAtMillis() + download.elapsedMillis();
        }
      }
    }
    String state =
        !trusted ? "not trusted" : address == null ? "trusted, no address" : "trusted (static)";
    return new PeerView(
        id,
        state,
        address,
        trusted,
        latest == null ? -1 : latest.offeredBytesPerSecond(),
        latest == null ? -1 : latest.achievedBytesPerSecond(),
        latest == null ? -1 : latest.rttMillis(),
        failures,
        -1,
        received,
        lastSeen,
        NOTE);
  }
}
