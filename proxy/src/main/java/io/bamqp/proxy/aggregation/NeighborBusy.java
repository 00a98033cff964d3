package io.bamqp.proxy.aggregation;

/**
 * A neighbor declined a job because its slots are taken: not a lost source, a place in its queue.
 * {@code retryAfterMillis} says when to offer again: the helper's word when it reads the queue
 * feature, else {@link #OLDER_HELPER_RETRY_MILLIS}.
 */
final class NeighborBusy extends RuntimeException {
  /** When to offer again to a helper that answers busy without a queue position: 1 s. */
  static final long OLDER_HELPER_RETRY_MILLIS = 1_000;

  private final long retryAfterMillis;
  private final int queuePosition;

  NeighborBusy(String message, long retryAfterMillis, int queuePosition) {
    super(message, null, false, false);
    this.retryAfterMillis = retryAfterMillis;
    this.queuePosition = queuePosition;
  }

  long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** Its place in the helper's queue, 1 = next; 0 when the helper did not say. */
  int queuePosition() {
    return queuePosition;
  }
}
