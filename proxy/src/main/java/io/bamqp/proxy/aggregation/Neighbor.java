package io.bamqp.proxy.aggregation;

import io.vertx.core.Future;

/** A neighbor that may take part in a download: it is offered the job and accepts or declines. */
interface Neighbor {

  /** For logs and figures: {@code peer:ID}. */
  String name();

  /**
   * Offers the job of fetching parts of {@code download} (at {@code url}), expected to take {@code
   * expectedMillis}. Only the size and the duration are sent with the offer: a neighbor that
   * declines learns nothing about the download; one that accepts gets the URL with each range.
   * Fails when the neighbor declines or cannot be reached.
   */
  Future<Joined> offer(
      String jobId, Eligibility.Download download, String url, long expectedMillis);

  /**
   * The neighbor was caught sending wrong bytes (a bad chunk, a failed spot check): it gets no new
   * work. The reason is shown to the owner.
   */
  default void misbehaved(String reason) {}

  /**
   * Bytes of it compared clean with the origin's in earlier downloads that completed ({@link
   * SamplePlan}): its history, which ends its probation.
   */
  default long cleanBytes() {
    return 0;
  }

  /** A download completed with {@code bytes} of it compared clean by spot checks. */
  default void verifiedClean(long bytes) {}

  /**
   * The job slots it serves this home at once, as its last answer said ({@code JobAnswer.slots});
   * {@code -1} while unknown (no answer yet, or an older helper).
   */
  default int slots() {
    return -1;
  }

  /** It delivered {@code bytes} that passed their checks (for the ledger of bytes received). */
  default void delivered(long bytes) {}

  /**
   * A neighbor that accepted: its source, the rate it committed to, the round trip the offer took,
   * and how to release the job when the download ends.
   */
  record Joined(ByteSource source, long bytesPerSecond, long rttNanos, Runnable release) {}
}
