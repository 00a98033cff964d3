package io.bamqp.proxy.stats;

import java.util.Objects;

/**
 * What the statistics page shows besides downloads, and what it may change: the node plugs in its
 * peer table, sharing ledger and actions here.
 *
 * @param peers the neighbors
 * @param sharing the sharing switch, caps and usage
 * @param actions the changes the page may ask for
 */
public record StatsSources(PeerDirectory peers, SharingStatus sharing, StatsActions actions) {

  public StatsSources {
    Objects.requireNonNull(peers, "peers");
    Objects.requireNonNull(sharing, "sharing");
    Objects.requireNonNull(actions, "actions");
  }
}
