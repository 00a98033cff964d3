package io.bamqp.proxy.stats;

import io.vertx.core.Future;

/**
 * The changes the statistics page may ask for, once the caller has shown {@code stats.token}. The
 * node implements them; {@link #NOT_AVAILABLE} refuses each one (the page answers 501).
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

  /** Refuses every change: nothing is wired to carry it out yet. */
  StatsActions NOT_AVAILABLE =
      new StatsActions() {
        @Override
        public Future<Void> setSharing(boolean enabled) {
          return Future.failedFuture(
              new UnsupportedOperationException("turning sharing on or off is not available yet"));
        }

        @Override
        public Future<Void> trust(String peerId) {
          return Future.failedFuture(
              new UnsupportedOperationException("trusting a peer is not available yet"));
        }
      };
}
