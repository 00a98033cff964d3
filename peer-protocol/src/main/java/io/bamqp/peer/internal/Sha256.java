package io.bamqp.peer.internal;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests; every Java platform has them. */
final class Sha256 {
  private Sha256() {}

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Feeds bytes {@code from..to-1} of {@code bytes} to {@code digest} from the buffer's own memory:
   * every byte of a range passes through here, and a copy per slice doubled the CPU it costs.
   */
  static void update(MessageDigest digest, Buffer bytes, int from, int to) {
    digest.update(((BufferInternal) bytes).getByteBuf().nioBuffer(from, to - from));
  }
}
