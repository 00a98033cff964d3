package io.bamqp.proxy.session;

import io.vertx.core.Future;

/** A neighbor that may take part in a download: it is offered the job and accepts or declines. */
interface Neighbor {

  /** For logs and figures: {@code peer:ID}. */
  String name();

  /**
   * Offers a job of {@code sizeBytes} expected to take {@code expectedMillis} (never the URL: a
   * neighbor that declines learns nothing about the download). Fails when it declines.
   */
  Future<Joined> offer(String jobId, long sizeBytes, long expectedMillis);

  /**
   * A neighbor that accepted: its source, the rate it committed to, the round trip the offer took,
   * and how to release the job when the download ends.
   */
  record Joined(ByteSource source, long bytesPerSecond, long rttNanos, Runnable release) {}
}
