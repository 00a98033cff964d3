package io.bamqp.proxy.aggregation;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes that arrived ahead of the client, kept until everything before them has been written.
 * Offsets count from the first byte the client gets. Bytes already written or already held are
 * dropped on arrival (a hedged range arrives twice), so nothing is ever written twice and the
 * buffer holds no more than the planner's window. Confined to the session's event loop.
 *
 * <p>Memory: bytes that arrive ahead of the write position are copied out of the Java heap into
 * memory this buffer allocates off it and frees as soon as they are taken or dropped. Held in the
 * heap, a window's bytes live long enough (up to a second or two) to be promoted to the old
 * generation, which then fills with bytes already written and grows between full collections. Bytes
 * that arrive at the write position stay as they came, views of the caller's buffer (which must not
 * change afterwards, as Vert.x's do not): they go to the client at once. What {@link #takeNext}
 * answers is the caller's, in the heap; what {@link #peek} answers is valid until the buffer next
 * changes.
 */
final class ReorderBuffer {
  private static final System.Logger LOG = System.getLogger("io.bamqp.session");

  private final ByteBufAllocator memory;
  private boolean offHeap = true;

  /** Each segment's readable bytes are the held bytes from its key on. */
  private final TreeMap<Long, ByteBuf> segments = new TreeMap<>();

  private long written;
  private long held;
  private long maxHeld;

  /**
   * Early bytes in direct buffers of Netty's default allocator (the node's pool, see {@code
   * jvm.options}): one per held piece, back in the pool on release.
   */
  ReorderBuffer() {
    this(ByteBufAllocator.DEFAULT);
  }

  /** A buffer holding early bytes in direct buffers from {@code memory}. */
  ReorderBuffer(ByteBufAllocator memory) {
    this.memory = memory;
  }

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
      Map.Entry<Long, ByteBuf> before = segments.floorEntry(from);
      if (before != null && endOf(before) > from) {
        from = endOf(before);
        continue;
      }
      Long next = segments.ceilingKey(from);
      long to = next == null ? end : Math.min(end, next);
      if (to > from) {
        segments.put(from, hold(data, (int) (from - offset), (int) (to - from), from == written));
        held += to - from;
        kept += to - from;
        maxHeld = Math.max(maxHeld, held);
        keeper.kept(from, to);
      }
      from = to;
    }
    return kept;
  }

  /**
   * {@code length} bytes of {@code data} from {@code start}: a view when they go out next, else a
   * copy off the heap (on the heap, as a view, once this JVM has no direct memory left for it).
   */
  private ByteBuf hold(Buffer data, int start, int length, boolean next) {
    ByteBuf bytes = ((BufferInternal) data).getByteBuf();
    ByteBuf view = bytes.slice(bytes.readerIndex() + start, length);
    if (next || !offHeap) {
      return view;
    }
    try {
      return memory.directBuffer(length, length).writeBytes(view);
    } catch (OutOfMemoryError full) {
      // The JVM's direct memory (-XX:MaxDirectMemorySize) is smaller than the reorder budget.
      offHeap = false;
      LOG.log(
          System.Logger.Level.WARNING,
          "no direct memory left for a reorder window ({0}): this download holds its early bytes"
              + " on the heap; give the JVM more (-XX:MaxDirectMemorySize, by default -Xmx) or"
              + " lower aggregation.totalBufferBytes",
          full.getMessage());
      return view;
    }
  }

  /** The next bytes the client needs, if they are here; the write position moves past them. */
  Buffer takeNext() {
    return takeNext(Long.MAX_VALUE);
  }

  /**
   * The next bytes the client needs before offset {@code limit}, if they are here (cut at the
   * limit); the write position moves past them.
   */
  Buffer takeNext(long limit) {
    Map.Entry<Long, ByteBuf> first = segments.firstEntry();
    if (first == null || first.getKey() != written || written >= limit) {
      return null;
    }
    segments.pollFirstEntry();
    ByteBuf segment = first.getValue();
    int length = (int) Math.min(segment.readableBytes(), limit - written);
    Buffer next = heapCopy(segment, length);
    if (length < segment.readableBytes()) {
      segment.skipBytes(length);
      segments.put(limit, segment);
    } else {
      segment.release();
    }
    written += length;
    held -= length;
    return next;
  }

  /** The first {@code length} bytes of {@code segment} in the heap (a view when they are there). */
  private static Buffer heapCopy(ByteBuf segment, int length) {
    if (!segment.isDirect()) {
      return BufferInternal.buffer(segment.slice(segment.readerIndex(), length));
    }
    Buffer copy = Buffer.buffer(length);
    copy.setBytes(0, segment.nioBuffer(segment.readerIndex(), length));
    return copy;
  }

  /**
   * The held bytes {@code [from, to)}, in order, without taking them (views, no copy, valid until
   * the buffer changes), or null when some of them are not here.
   */
  List<Buffer> peek(long from, long to) {
    List<Buffer> parts = new ArrayList<>();
    long at = from;
    Map.Entry<Long, ByteBuf> segment = segments.floorEntry(at);
    while (at < to) {
      if (segment == null || segment.getKey() > at || endOf(segment) <= at) {
        return null;
      }
      ByteBuf bytes = segment.getValue();
      int start = (int) (at - segment.getKey());
      int end = (int) Math.min(bytes.readableBytes(), to - segment.getKey());
      parts.add(BufferInternal.buffer(bytes.slice(bytes.readerIndex() + start, end - start)));
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
    Map.Entry<Long, ByteBuf> before = segments.lowerEntry(from);
    if (before != null && endOf(before) > from) {
      // Keeps [its start, from) and, when it runs past the dropped span, [to, its end).
      ByteBuf piece = before.getValue();
      if (endOf(before) > to) {
        ByteBuf after =
            piece.retainedSlice(
                piece.readerIndex() + (int) (to - before.getKey()), (int) (endOf(before) - to));
        segments.put(to, after);
        held -= to - from;
      } else {
        held -= endOf(before) - from;
      }
      piece.writerIndex(piece.readerIndex() + (int) (from - before.getKey()));
    }
    Map.Entry<Long, ByteBuf> last = segments.lowerEntry(to);
    if (last != null && last.getKey() >= from && endOf(last) > to) {
      ByteBuf piece = last.getValue();
      int cut = (int) (to - last.getKey());
      held -= cut;
      piece.skipBytes(cut);
      segments.remove(last.getKey());
      segments.put(to, piece);
    }
    var inside = segments.subMap(from, true, to, false);
    for (ByteBuf piece : inside.values()) {
      held -= piece.readableBytes();
      piece.release();
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

  /** Drops everything and frees its memory (the session ended). */
  void clear() {
    segments.values().forEach(ByteBuf::release);
    segments.clear();
    held = 0;
  }

  private static long endOf(Map.Entry<Long, ByteBuf> segment) {
    return segment.getKey() + segment.getValue().readableBytes();
  }
}
