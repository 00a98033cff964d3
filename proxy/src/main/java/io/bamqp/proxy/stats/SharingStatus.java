package io.bamqp.proxy.stats;

/**
 * Where the statistics page learns what this node shares. The node plugs its sharing gate and the
 * usage ledger in here.
 *
 * <p>Called on the statistics server's event loop: it must answer from memory, never block.
 */
@FunctionalInterface
public interface SharingStatus {

  /** The switch, the caps and the usage right now. */
  SharingView sharing();
}
