package io.bamqp.proxy.aggregation;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
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

  /** Hears which spans {@link #accept} kept. */
  interface Keeper {
    /** {@code [from, to)} was new and is held now. */
    void kept(long from, long to);
  }

  private static final Keeper NOBODY = (from, to) -> {};

  /**
   * Keeps the part of {@code data} (starting at {@code offset}) that is new; answers its length.
   */
  long accept(long offset, Buffer data) {
    return accept(offset, data, NOBODY);
  }

  /** As {@link #accept(long, Buffer)}, telling {@code keeper} each span kept. */
  long accept(long offset, Buffer data, Keeper keeper) {
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
        keeper.kept(from, to);
      }
      from = to;
    }
    return kept;
  }

  /** The next bytes the client needs, if they are here; the write position moves past them. */
  Buffer takeNext() {
    return takeNext(Long.MAX_VALUE);
  }

  /**
   * The next bytes the client needs before offset {@code limit}, if they are here (cut at the limit
   * without a copy); the write position moves past them.
   */
  Buffer takeNext(long limit) {
    Map.Entry<Long, Buffer> first = segments.firstEntry();
    if (first == null || first.getKey() != written || written >= limit) {
      return null;
    }
    segments.pollFirstEntry();
    Buffer next = first.getValue();
    if (limit - written < next.length()) {
      int cut = (int) (limit - written);
      segments.put(limit, next.slice(cut, next.length()));
      next = next.slice(0, cut);
    }
    written += next.length();
    held -= next.length();
    return next;
  }

  /**
   * The held bytes {@code [from, to)}, in order, without taking them (slices, no copy), or null
   * when some of them are not here.
   */
  List<Buffer> peek(long from, long to) {
    List<Buffer> parts = new ArrayList<>();
    long at = from;
    Map.Entry<Long, Buffer> segment = segments.floorEntry(at);
    while (at < to) {
      if (segment == null
          || segment.getKey() > at
          || segment.getKey() + segment.getValue().length() <= at) {
        return null;
      }
      Buffer bytes = segment.getValue();
      int start = (int) (at - segment.getKey());
      int end = (int) Math.min(bytes.length(), to - segment.getKey());
      parts.add(start == 0 && end == bytes.length() ? bytes : bytes.slice(start, end));
      at = segment.getKey() + end;
      segment = segments.higherEntry(segment.getKey());
    }
    return parts;
  }

  /**
   * Drops what is held of {@code [from, to)}: those bytes are to be fetched again. Bytes before the
   * write position are gone already.
   */
  void drop(long from, long to) {
    from = Math.max(from, written);
    if (from >= to) {
      return;
    }
    Map.Entry<Long, Buffer> before = segments.lowerEntry(from);
    if (before != null && before.getKey() + before.getValue().length() > from) {
      Buffer piece = before.getValue();
      int cut = (int) (from - before.getKey());
      segments.put(before.getKey(), piece.slice(0, cut));
      segments.put(from, piece.slice(cut, piece.length()));
    }
    Map.Entry<Long, Buffer> last = segments.lowerEntry(to);
    if (last != null && last.getKey() + last.getValue().length() > to && last.getKey() >= from) {
      Buffer piece = last.getValue();
      int cut = (int) (to - last.getKey());
      segments.put(last.getKey(), piece.slice(0, cut));
      segments.put(to, piece.slice(cut, piece.length()));
    }
    var inside = segments.subMap(from, true, to, false);
    for (Buffer piece : inside.values()) {
      held -= piece.length();
    }
    inside.clear();
  }

  /** Bytes held now. */
  long held() {
    return held;
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
