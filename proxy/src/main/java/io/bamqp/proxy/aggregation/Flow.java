package io.bamqp.proxy.aggregation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The bytes of one assigned range, in order, from one source. It ends after exactly the range's
 * bytes, or fails; {@link #cancel()} stops it at once and frees its connection.
 */
interface Flow extends ReadStream<Buffer> {

  /** Stops the transfer now; no handler is called afterwards. */
  void cancel();
}
