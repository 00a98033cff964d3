package io.bamqp.proxy.stats;

import io.bamqp.proxy.config.BamqpConfig;

/**
 * Where the statistics page learns what this node shares. The node plugs its sharing gate and the
 * usage ledger in here; {@link #fromConfig} shows the configured caps and no usage.
 *
 * <p>Called on the statistics server's event loop: it must answer from memory, never block.
 */
@FunctionalInterface
public interface SharingStatus {

  /** Shown when nothing measures what neighbors used. */
  String NOT_MEASURED = "usage is not measured yet";

  /** The switch, the caps and the usage right now. */
  SharingView sharing();

  /** The configured caps, with usage unknown. */
  static SharingStatus fromConfig(BamqpConfig config) {
    SharingView view = SharingView.of(config.sharing(), null, null, NOT_MEASURED);
    return () -> view;
  }
}
