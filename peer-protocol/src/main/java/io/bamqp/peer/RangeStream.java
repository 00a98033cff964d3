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
 * before the range's last byte, so a truncated range never looks complete. On a link with
 * identities the helper sends the range as signed chunks of {@link PeerProtocol#CHUNK_BYTES}: each
 * chunk is held until its length, SHA-256, offsets, validator and the pinned helper's signature are
 * checked, and only then emitted whole, so at most one chunk is held per stream and no unverified
 * byte is ever released. Any violation fails the stream with {@link PeerErrorCode#BAD_CHUNK}, which
 * {@link PeerErrorCode#provesMisbehaviour() proves misbehaviour}. Data flows once a handler is set,
 * or when it is piped; nothing is lost before. Like any Vert.x stream it belongs to one context:
 * use it from the callbacks of the future that delivered it.
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

  /** Bytes delivered so far (verified bytes, on a link with identities). */
  long received();

  /**
   * Abandons the range: resets the request at once, so the helper stops fetching it from the
   * origin. No handler of this stream is called afterwards. Idempotent.
   */
  void cancel();
}
