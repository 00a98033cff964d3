package io.bamqp.proxy.aggregation;

import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes that arrived ahead of the client, kept until everything before them has been written.
 * Offsets count from the first byte the client gets. Bytes already written or already held are
 * dropped on arrival (a hedged range arrives twice), so nothing is ever written twice and the
 * buffer holds no more than the planner's window. Confined to the session's event loop.
 */
final class ReorderBuffer {
  private final TreeMap<Long, Buffer> segments = new TreeMap<>();
  private long written;
  private long held;
  private long maxHeld;

  /**
   * Keeps the part of {@code data} (starting at {@code offset}) that is new; answers its length.
   */
  long accept(long offset, Buffer data) {
    long end = offset + data.length();
    long from = Math.max(offset, written);
    long kept = 0;
    while (from < end) {
      Map.Entry<Long, Buffer> before = segments.floorEntry(from);
      if (before != null && before.getKey() + before.getValue().length() > from) {
        from = before.getKey() + before.getValue().length();
        continue;
      }
      Long next = segments.ceilingKey(from);
      long to = next == null ? end : Math.min(end, next);
      if (to > from) {
        Buffer piece = data.slice((int) (from - offset), (int) (to - offset));
        segments.put(from, piece);
        held += piece.length();
        kept += piece.length();
        maxHeld = Math.max(maxHeld, held);
      }
      from = to;
    }
    return kept;
  }

  /** The next bytes the client needs, if they are here; the write position moves past them. */
  Buffer takeNext() {
    Map.Entry<Long, Buffer> first = segments.firstEntry();
    if (first == null || first.getKey() != written) {
      return null;
    }
    segments.pollFirstEntry();
    written += first.getValue().length();
    held -= first.getValue().length();
    return first.getValue();
  }

  /** Everything before this offset has been taken for the client. */
  long written() {
    return written;
  }

  /** The most bytes held at once. */
  long maxHeld() {
    return maxHeld;
  }

  /** Drops everything (the session ended). */
  void clear() {
    segments.clear();
    held = 0;
  }
}
