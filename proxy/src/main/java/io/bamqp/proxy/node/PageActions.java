package io.bamqp.proxy.node;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.stats.StatsActions;
import io.bamqp.security.PeerId;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The changes an owner makes on the statistics page (with {@code stats.token}): turn sharing on or
 * off, trust a discovered peer. They apply at once, like a reload of the config, and last until the
 * node restarts or the config file is edited: the file stays the one place the owner's choices are
 * kept, and the page says so.
 */
public final class PageActions implements StatsActions {
  private final Function<UnaryOperator<BamqpConfig>, Future<Void>> change;

  /**
   * @param change applies an edit to the config in force, atomically (the node's lock, so a reload
   *     of the file and a change on the page never interleave)
   */
  public PageActions(Function<UnaryOperator<BamqpConfig>, Future<Void>> change) {
    this.change = change;
  }

  @Override
  public Future<Void> setSharing(boolean enabled) {
    return change.apply(config -> withSharing(config, enabled));
  }

  @Override
  public Future<Void> trust(String peerId) {
    PeerId id;
    try {
      id = PeerId.parse(peerId);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return change.apply(config -> withTrusted(config, id));
  }

  private static BamqpConfig withSharing(BamqpConfig config, boolean enabled) {
    BamqpConfig.Sharing s = config.sharing();
    BamqpConfig.Sharing changed =
        new BamqpConfig.Sharing(
            enabled,
            s.maxRateMbps(),
            s.maxConcurrentJobs(),
            s.sharePercent(),
            s.offPeak(),
            s.monthlyCap(),
            s.peerMonthlyCap(),
            s.yieldFloorMbps());
    return new BamqpConfig(
        config.proxy(),
        config.wan(),
        config.cdn(),
        config.aggregation(),
        config.peer(),
        changed,
        config.discovery(),
        config.security(),
        config.stats(),
        config.state(),
        config.log());
  }

  private static BamqpConfig withTrusted(BamqpConfig config, PeerId id) {
    if (config.peer().trusted().contains(id)) {
      return config;
    }
    List<PeerId> trusted = new ArrayList<>(config.peer().trusted());
    trusted.add(id);
    BamqpConfig.Peer changed =
        new BamqpConfig.Peer(config.peer().listen(), config.peer().staticPeers(), trusted);
    return new BamqpConfig(
        config.proxy(),
        config.wan(),
        config.cdn(),
        config.aggregation(),
        changed,
        config.sharing(),
        config.discovery(),
        config.security(),
        config.stats(),
        config.state(),
        config.log());
  }
}
