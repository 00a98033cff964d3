package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Future;

/**
 * Where a download's bytes can come from: the home line (Range requests to the origin) or a
 * neighbor that accepted the job.
 */
interface ByteSource {

  /** A short name for logs and figures: {@code home}, {@code peer:ID}. */
  String name();

  /**
   * Opens a fetch of {@code range} (offsets in the representation). The future fails with {@link
   * ObjectChangedException} when the source saw a different version of the object.
   */
  Future<Flow> open(ByteRange range);
}
