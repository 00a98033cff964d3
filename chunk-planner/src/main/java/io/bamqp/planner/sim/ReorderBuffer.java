package io.bamqp.planner.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * The home's reorder buffer: bytes that arrived ahead of the client, kept as disjoint runs, and
 * handed to the client strictly in order. A byte that arrives twice (a hedge's copy) or after it
 * was written is dropped and counted, so no byte is ever written twice.
 */
final class ReorderBuffer {
  private final long capacity;
  private final TreeMap<Long, Long> endByStart = new TreeMap<>(); // [start, end), merged
  private long position;
  private long held;
  private long maxHeld;
  private long duplicateBytes;

  ReorderBuffer(long capacity) {
    this.capacity = capacity;
  }

  /** Bytes written to the client so far. */
  long position() {
    return position;
  }

  long room() {
    return capacity - held;
  }

  long maxHeld() {
    return maxHeld;
  }

  long duplicateBytes() {
    return duplicateBytes;
  }

  /** Stores {@code [first, first + length)}, dropping what is already held or written. */
  void receive(long first, long length) {
    long end = first + length;
    long cursor = Math.max(first, position);
    duplicateBytes += cursor - first;
    while (cursor < end) {
      Map.Entry<Long, Long> below = endByStart.floorEntry(cursor);
      if (below != null && below.getValue() > cursor) {
        long skip = Math.min(end, below.getValue()) - cursor;
        duplicateBytes += skip;
        cursor += skip;
        continue;
      }
      Map.Entry<Long, Long> above = endByStart.higherEntry(cursor);
      long stop = above == null ? end : Math.min(end, above.getKey());
      insert(cursor, stop);
      held += stop - cursor;
      cursor = stop;
    }
    maxHeld = Math.max(maxHeld, held);
  }

  /** Writes up to {@code limit} in-order bytes to the client; returns how many. */
  long consume(long limit) {
    Map.Entry<Long, Long> run = endByStart.firstEntry();
    if (run == null || run.getKey() != position || limit <= 0) {
      return 0;
    }
    long n = Math.min(limit, run.getValue() - position);
    endByStart.remove(run.getKey());
    if (position + n < run.getValue()) {
      endByStart.put(position + n, run.getValue());
    }
    position += n;
    held -= n;
    return n;
  }

  private void insert(long start, long end) {
    Map.Entry<Long, Long> below = endByStart.floorEntry(start);
    if (below != null && below.getValue() == start) {
      start = below.getKey();
    }
    Long aboveEnd = endByStart.remove(end);
    endByStart.put(start, aboveEnd == null ? end : aboveEnd);
  }
}
