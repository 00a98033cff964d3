package io.bamqp.proxy.sharing;

import io.bamqp.peer.HelperServer;

/**
 * The knobs of this node's helper server that {@link SharingGovernor} turns. Implementations hand
 * each call to the helper's own event loop: callable from any thread, never blocking.
 */
public interface HelperControls {
  /** Does nothing: a node whose helper is not started yet. */
  HelperControls NONE =
      new HelperControls() {
        @Override
        public void limitRate(long bytesPerSecond) {}

        @Override
        public void updateSharing(boolean enabled, double maxRateMbps, int maxConcurrentJobs) {}
      };

  /** The knobs of a running {@link HelperServer} (its methods hop to its own event loop). */
  static HelperControls of(HelperServer helper) {
    return new HelperControls() {
      @Override
      public void limitRate(long bytesPerSecond) {
        helper.limitRate(bytesPerSecond);
      }

      @Override
      public void updateSharing(boolean enabled, double maxRateMbps, int maxConcurrentJobs) {
        helper.updateSharing(enabled, maxRateMbps, maxConcurrentJobs);
      }
    };
  }

  /** Sets the token bucket on what the helper reads from origins for others, all jobs together. */
  void limitRate(long bytesPerSecond);

  /** Applies changed sharing settings; the rate is set by {@link #limitRate} right after. */
  void updateSharing(boolean enabled, double maxRateMbps, int maxConcurrentJobs);
}
