package io.bamqp.proxy.stats;

import io.bamqp.proxy.config.BamqpConfig;
import java.util.Objects;

/**
 * What the statistics page shows besides downloads, and what it may change: the node plugs in its
 * peer table, sharing ledger and actions here. Immutable; {@code with…} answers a changed copy.
 *
 * @param peers the neighbors, or null for the config's static and trusted peers plus what this
 *     node's downloads observed of them
 * @param sharing the sharing switch, caps and usage
 * @param actions the changes the page may ask for
 */
public record StatsSources(PeerDirectory peers, SharingStatus sharing, StatsActions actions) {

  public StatsSources {
    Objects.requireNonNull(sharing, "sharing");
    Objects.requireNonNull(actions, "actions");
  }

  /** Peers and caps from the config, usage not measured, every change refused with 501. */
  public static StatsSources defaults(BamqpConfig config) {
    return new StatsSources(null, SharingStatus.fromConfig(config), StatsActions.NOT_AVAILABLE);
  }

  public StatsSources withPeers(PeerDirectory directory) {
    return new StatsSources(directory, sharing, actions);
  }

  public StatsSources withSharing(SharingStatus status) {
    return new StatsSources(peers, status, actions);
  }

  public StatsSources withActions(StatsActions changes) {
    return new StatsSources(peers, sharing, changes);
  }
}
