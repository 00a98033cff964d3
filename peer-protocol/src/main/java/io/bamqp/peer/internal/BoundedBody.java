package io.bamqp.peer.internal;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * Reads a message body of at most {@code maxBytes}: messages are small JSON documents, and a peer
 * that sends more is refused before it fills memory. Only for messages, never for range bodies.
 */
final class BoundedBody {
  private BoundedBody() {}

  /**
   * Reads {@code stream} (paused or not) to its end; fails with {@code code} past {@code maxBytes},
   * leaving the rest unread (the caller closes or resets the connection).
   */
  static Future<Buffer> read(ReadStream<Buffer> stream, int maxBytes, PeerErrorCode code) {
    Promise<Buffer> body = Promise.promise();
    Buffer collected = Buffer.buffer();
    stream.exceptionHandler(body::tryFail);
    stream.endHandler(v -> body.tryComplete(collected));
    stream.handler(
        chunk -> {
          if (collected.length() + chunk.length() > maxBytes) {
            stream.handler(null);
            stream.pause();
            body.tryFail(new PeerException(code, "message larger than " + maxBytes + " bytes"));
          } else {
            collected.appendBuffer(chunk);
          }
        });
    stream.resume();
    return body.future();
  }
}
