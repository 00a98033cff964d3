package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SHA-256 of a spot-checked block, taken in parts of {@value #PART_BYTES} bytes counted from
 * the block's start: two sides that disagree on a large block can then tell the first part that
 * differs, and the home line settles who lied by fetching that part alone. Fed from the buffers'
 * own memory, without a copy.
 */
final class BlockHash {
  /** The part a disagreement is narrowed to. */
  static final int PART_BYTES = 32 * 1024;

  private final List<byte[]> parts = new ArrayList<>();
  private final MessageDigest digest = sha256();
  private long fed;

  /** The next {@code length} bytes of the block: {@code data}'s bytes from {@code index}. */
  void update(Buffer data, int index, int length) {
    ByteBuf bytes = ((BufferInternal) data).getByteBuf();
    int at = bytes.readerIndex() + index;
    while (length > 0) {
      int room = (int) (PART_BYTES - fed % PART_BYTES);
      int take = Math.min(room, length);
      digest.update(bytes.nioBuffer(at, take));
      fed += take;
      at += take;
      length -= take;
      if (fed % PART_BYTES == 0) {
        parts.add(digest.digest());
      }
    }
  }

  /** Bytes fed so far. */
  long length() {
    return fed;
  }

  /** The hashes of every part, the last one possibly short. Call once. */
  List<byte[]> finish() {
    if (fed % PART_BYTES != 0) {
      parts.add(digest.digest());
    }
    return parts;
  }

  /**
   * The first part (absolute offsets within {@code block}) where two finished hashes differ, or
   * null when they are equal.
   */
  static ByteRange firstDifference(ByteRange block, List<byte[]> a, List<byte[]> b) {
    int n = Math.max(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      if (i >= a.size() || i >= b.size() || !MessageDigest.isEqual(a.get(i), b.get(i))) {
        long from = block.first() + (long) i * PART_BYTES;
        return new ByteRange(from, Math.min(block.last(), from + PART_BYTES - 1));
      }
    }
    return null;
  }

  /** Whether two finished hashes are of the same bytes. */
  static boolean same(List<byte[]> a, List<byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!MessageDigest.isEqual(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
