package io.bamqp.proxy.stats;

import io.vertx.core.Future;

/**
 * The changes the statistics page may ask for, once the caller has shown {@code stats.token}. The
 * node implements them.
 *
 * <p>Called on the statistics server's event loop: start the work and answer a future, never block.
 * A future failed with {@link UnsupportedOperationException} answers 501, {@link
 * IllegalArgumentException} 400 and {@link java.util.NoSuchElementException} 404, each with its
 * message; anything else answers 500 with its message.
 */
public interface StatsActions {

  /** Turns sharing with neighbors on or off. */
  Future<Void> setSharing(boolean enabled);

  /** Adds a discovered peer to the trusted ones. */
  Future<Void> trust(String peerId);
}
