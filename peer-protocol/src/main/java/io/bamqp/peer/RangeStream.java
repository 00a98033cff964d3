package io.bamqp.peer;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The bytes of one range as a helper streams them home: exactly {@link #range()}'s bytes, in order,
 * with back-pressure (pausing it pauses the helper, which pauses the origin).
 *
 * <p>The stream fails (its exception handler, never its end handler) when the connection ends
 * before the range's last byte, so a truncated range never looks complete. Data flows once a
 * handler is set, or when it is piped; nothing is lost before. Like any Vert.x stream it belongs to
 * one context: use it from the callbacks of the future that delivered it.
 */
public interface RangeStream extends ReadStream<Buffer> {

  @Override
  RangeStream handler(Handler<Buffer> handler);

  @Override
  RangeStream exceptionHandler(Handler<Throwable> handler);

  @Override
  RangeStream endHandler(Handler<Void> endHandler);

  @Override
  RangeStream pause();

  @Override
  RangeStream resume();

  @Override
  RangeStream fetch(long amount);

  /** The range this stream carries. */
  ByteRange range();

  /** Bytes delivered so far. */
  long received();

  /**
   * Abandons the range: resets the request at once, so the helper stops fetching it from the
   * origin. No handler of this stream is called afterwards. Idempotent.
   */
  void cancel();
}
