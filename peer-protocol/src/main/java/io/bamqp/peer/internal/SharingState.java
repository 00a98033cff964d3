package io.bamqp.peer.internal;

import io.bamqp.peer.HelperOptions;

/**
 * What the owner shares right now: the settings a helper started with, as changed since by {@link
 * io.bamqp.peer.HelperServer#updateSharing} and {@link io.bamqp.peer.HelperServer#limitRate}. The
 * shared bucket follows {@link #rateBytesPerSec()}. Confined to the helper's event loop.
 */
final class SharingState {
  private final RateBucket bucket;
  private boolean enabled;
  private long maxRateBytesPerSec;
  private int maxConcurrentJobs;
  private long limitBytesPerSec = Long.MAX_VALUE;

  SharingState(HelperOptions options) {
    this.enabled = options.sharingEnabled();
    this.maxRateBytesPerSec = options.maxRateBytesPerSec();
    this.maxConcurrentJobs = options.maxConcurrentJobs();
    this.bucket = new RateBucket(rateBytesPerSec());
  }

  void update(boolean enabled, double maxRateMbps, int maxConcurrentJobs) {
    this.enabled = enabled;
    this.maxRateBytesPerSec = HelperOptions.bytesPerSecond(maxRateMbps);
    this.maxConcurrentJobs = maxConcurrentJobs;
    bucket.setRate(rateBytesPerSec());
  }

  void limit(long bytesPerSecond) {
    this.limitBytesPerSec = bytesPerSecond;
    bucket.setRate(rateBytesPerSec());
  }

  boolean enabled() {
    return enabled;
  }

  int maxConcurrentJobs() {
    return maxConcurrentJobs;
  }

  /** The rate shared now: the owner's cap, lowered by the proxy's limit. */
  long rateBytesPerSec() {
    return Math.max(1, Math.min(maxRateBytesPerSec, limitBytesPerSec));
  }

  RateBucket bucket() {
    return bucket;
  }
}
