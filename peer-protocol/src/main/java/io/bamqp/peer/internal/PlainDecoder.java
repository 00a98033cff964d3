package io.bamqp.peer.internal;

import io.bamqp.peer.PeerErrorCode;
import io.bamqp.peer.PeerException;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * The deprecated plain mode: raw range bytes, released as they come, held to the range's length.
 */
final class PlainDecoder implements RangeDecoder {
  private final long length;
  private long seen;

  PlainDecoder(long length) {
    this.length = length;
  }

  @Override
  public void decode(Buffer bytes, Consumer<Buffer> release) throws PeerException {
    seen += bytes.length();
    if (seen > length) {
      throw new PeerException(PeerErrorCode.BAD_ANSWER, "the helper sent more than the range");
    }
    release.accept(bytes);
  }

  @Override
  public void end() throws PeerException {
    if (seen != length) {
      throw new PeerException(
          PeerErrorCode.BAD_ANSWER, "the range ended after " + seen + " of " + length + " bytes");
    }
  }

  @Override
  public String progress() {
    return seen + " of " + length + " bytes";
  }
}
