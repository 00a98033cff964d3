package io.bamqp.planner.internal;

import io.bamqp.planner.ByteRange;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ranges taken back from failed, stalled or short assignments, waiting to be planned again. They
 * all lie below the frontier of new work, so they are always handed out first, lowest offset first.
 */
final class ReplanQueue {
  private final TreeMap<Long, Long> lastByFirst = new TreeMap<>();

  void add(ByteRange range) {
    lastByFirst.put(range.first(), range.last());
  }

  boolean isEmpty() {
    return lastByFirst.isEmpty();
  }

  /** The lowest waiting range, or {@code null}. */
  ByteRange peek() {
    Map.Entry<Long, Long> e = lastByFirst.firstEntry();
    return e == null ? null : new ByteRange(e.getKey(), e.getValue());
  }

  /** Takes the first {@code length} bytes of the lowest waiting range. */
  ByteRange take(long length) {
    ByteRange lowest = peek();
    ByteRange taken = ByteRange.ofLength(lowest.first(), Math.min(length, lowest.length()));
    lastByFirst.remove(lowest.first());
    if (taken.last() < lowest.last()) {
      lastByFirst.put(taken.end(), lowest.last());
    }
    return taken;
  }
}
