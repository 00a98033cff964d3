package io.bamqp.proxy.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which source's bytes the reorder buffer kept where (client offsets): what a piece that fails its
 * hash is made of, so the source that sent the differing bytes, and only it, is blamed. Spans of
 * one source that touch are merged, so there are about as many spans as ranges. Confined to the
 * session's event loop.
 */
final class ByteOwners {
  /** The owner of bytes that came over the home line (the origin itself). */
  static final int HOME = -1;

  /** A span {@code [from, to)} kept from {@code owner}. */
  record Span(long from, long to, int owner) {}

  private final TreeMap<Long, Span> spans = new TreeMap<>();

  /** The buffer kept {@code [from, to)} from {@code owner}: bytes it held nowhere before. */
  void kept(int owner, long from, long to) {
    if (from >= to) {
      return;
    }
    Map.Entry<Long, Span> before = spans.floorEntry(from);
    if (before != null && before.getValue().to() == from && before.getValue().owner() == owner) {
      from = before.getKey();
    }
    Span after = spans.get(to);
    if (after != null && after.owner() == owner) {
      spans.remove(to);
      to = after.to();
    }
    spans.put(from, new Span(from, to, owner));
  }

  /** The buffer dropped {@code [from, to)}: it will be fetched again. */
  void dropped(long from, long to) {
    Map.Entry<Long, Span> before = spans.lowerEntry(from);
    if (before != null && before.getValue().to() > from) {
      Span cut = before.getValue();
      spans.put(cut.from(), new Span(cut.from(), from, cut.owner()));
      if (cut.to() > to) {
        spans.put(to, new Span(to, cut.to(), cut.owner()));
        return;
      }
    }
    Map.Entry<Long, Span> last = spans.lowerEntry(to);
    if (last != null && last.getValue().to() > to && last.getKey() >= from) {
      Span cut = last.getValue();
      spans.put(to, new Span(to, cut.to(), cut.owner()));
    }
    spans.subMap(from, true, to, false).clear();
  }

  /** The first offset at or after {@code at} held from a neighbor, or {@code Long.MAX_VALUE}. */
  long firstNeighborFrom(long at) {
    Long start = spans.floorKey(at);
    for (Span span : spans.tailMap(start == null ? at : start, true).values()) {
      if (span.owner() != HOME && span.to() > at) {
        return Math.max(span.from(), at);
      }
    }
    return Long.MAX_VALUE;
  }

  /** The spans within {@code [from, to)}, cut at its bounds, in order. */
  List<Span> within(long from, long to) {
    List<Span> inside = new ArrayList<>();
    Long start = spans.floorKey(from);
    for (Span span : spans.subMap(start == null ? from : start, true, to, false).values()) {
      if (span.to() > from) {
        inside.add(new Span(Math.max(from, span.from()), Math.min(to, span.to()), span.owner()));
      }
    }
    return inside;
  }

  /**
   * The parts of {@code [from, to)} not held from {@code owner} (held from others, or not held at
   * all), as {@code {from, to}}, in order.
   */
  List<long[]> notFrom(int owner, long from, long to) {
    List<long[]> left = new ArrayList<>();
    long at = from;
    for (Span span : within(from, to)) {
      if (span.owner() == owner) {
        if (span.from() > at) {
          left.add(new long[] {at, span.from()});
        }
        at = span.to();
      }
    }
    if (at < to) {
      left.add(new long[] {at, to});
    }
    return left;
  }

  /** {@code owner}'s spans outside {@code [proven, provenEnd)}, as {@code {from, to}}, in order. */
  List<long[]> unproven(int owner, long proven, long provenEnd) {
    List<long[]> left = new ArrayList<>();
    for (Span span : spans.values()) {
      if (span.owner() != owner) {
        continue;
      }
      if (span.from() < proven) {
        left.add(new long[] {span.from(), Math.min(span.to(), proven)});
      }
      if (span.to() > provenEnd) {
        left.add(new long[] {Math.max(span.from(), provenEnd), span.to()});
      }
    }
    return left;
  }

  void clear() {
    spans.clear();
  }
}
