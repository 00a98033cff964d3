package io.bamqp.proxy.internal;

import io.bamqp.proxy.config.BamqpConfig;
import io.bamqp.proxy.stats.StatsActions;
import io.bamqp.security.PeerId;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The changes an owner makes on the statistics page (with {@code stats.token}): turn sharing on or
 * off, trust a discovered peer. They apply at once, like a reload of the config, and last until the
 * node restarts or the config file is edited: the file stays the one place the owner's choices are
 * kept, and the page says so.
 */
public final class PageActions implements StatsActions {
  private final Supplier<BamqpConfig> current;
  private final Function<BamqpConfig, Future<Void>> apply;

  public PageActions(Supplier<BamqpConfig> current, Function<BamqpConfig, Future<Void>> apply) {
    this.current = current;
    this.apply = apply;
  }

  @Override
  public Future<Void> setSharing(boolean enabled) {
    BamqpConfig config = current.get();
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
    return apply.apply(
        new BamqpConfig(
            config.proxy(),
            config.wan(),
            config.aggregation(),
            config.peer(),
            changed,
            config.discovery(),
            config.security(),
            config.stats(),
            config.state(),
            config.log()));
  }

  @Override
  public Future<Void> trust(String peerId) {
    PeerId id;
    try {
      id = PeerId.parse(peerId);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    BamqpConfig config = current.get();
    if (config.peer().trusted().contains(id)) {
      return Future.succeededFuture();
    }
    List<PeerId> trusted = new ArrayList<>(config.peer().trusted());
    trusted.add(id);
    BamqpConfig.Peer changed =
        new BamqpConfig.Peer(config.peer().listen(), config.peer().staticPeers(), trusted);
    return apply.apply(
        new BamqpConfig(
            config.proxy(),
            config.wan(),
            config.aggregation(),
            changed,
            config.sharing(),
            config.discovery(),
            config.security(),
            config.stats(),
            config.state(),
            config.log()));
  }
}
