package io.bamqp.peer.internal;

import io.bamqp.peer.PeerException;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Turns a helper's range body into the bytes home may release: whole verified chunks ({@link
 * ChunkVerifier}). Confined to the link's context.
 */
interface RangeDecoder {

  /**
   * Consumes {@code bytes} from the helper, handing {@code release} what may go to the reader.
   *
   * @throws PeerException when the body breaks the protocol; nothing of the offending part is
   *     released
   */
  void decode(Buffer bytes, Consumer<Buffer> release) throws PeerException;

  /**
   * The helper's body ended cleanly.
   *
   * @throws PeerException when the range is not complete
   */
  void end() throws PeerException;

  /** Where decoding stands, for a failure's detail. */
  String progress();

  /**
   * Frees what the decoder holds; called once, when the stream is done (ended, failed or
   * cancelled). Decoding after it fails.
   */
  void close();
}
