package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.buffer.Buffer;

/**
 * An assignment being fetched: the source serving it, its range (offsets from the client's first
 * byte), the flow its bytes come on, and where its next byte goes.
 *
 * <p>Confined to the session's event loop.
 */
final class RunningFetch {
  private final SourceRun source;
  private final ByteRange range;
  private final Flow flow;
  private final boolean runsPastRange;
  private final long askedNanos;
  private final long openedNanos = System.nanoTime();
  private long firstByteNanos = Long.MIN_VALUE; // until the first byte
  private long next;

  /**
   * @param runsPastRange whether the flow goes on beyond the range (the initial response does) and
   *     must be cut once the range is whole; a range fetch ends by itself and keeps its connection
   *     for the next request
   * @param askedNanos when the range was asked of its source ({@link System#nanoTime()})
   */
  RunningFetch(
      SourceRun source, ByteRange range, Flow flow, boolean runsPastRange, long askedNanos) {
    this.source = source;
    this.range = range;
    this.flow = flow;
    this.runsPastRange = runsPastRange;
    this.askedNanos = askedNanos;
    this.next = range.first();
  }

  SourceRun source() {
    return source;
  }

  ByteRange range() {
    return range;
  }

  /** Where the next byte of the flow goes. */
  long next() {
    return next;
  }

  /** The part of {@code data}, arriving at {@link #next()}, that falls inside the range. */
  Buffer clip(Buffer data) {
    long room = range.last() - next + 1;
    return data.length() > room ? data.slice(0, (int) room) : data;
  }

  /** {@code bytes} of the range were taken: answers whether it is whole now. */
  boolean advance(long bytes) {
    if (firstByteNanos == Long.MIN_VALUE) {
      firstByteNanos = System.nanoTime();
    }
    next += bytes;
    return next > range.last();
  }

  /** The range is whole: a flow that would go on past it is cut. */
  void cutIfRunsPastRange() {
    if (runsPastRange) {
      flow.cancel();
    }
  }

  /**
   * How the range went, for the debug log: when it was asked, opened, began and ended (ms since
   * {@code sinceNanos}, the download's start) and its rate while its bytes flowed.
   */
  String timeline(long sinceNanos, long nowNanos) {
    double flowing = Math.max(1, nowNanos - firstByteNanos) / 1e9;
    return String.format(
        java.util.Locale.ROOT,
        "bytes %d-%d (%.2f MiB): asked at +%d ms, open +%d, first byte +%d, whole +%d (%.1f Mbit/s)",
        range.first(),
        range.last(),
        range.length() / 1048576.0,
        (askedNanos - sinceNanos) / 1_000_000,
        (openedNanos - sinceNanos) / 1_000_000,
        (firstByteNanos - sinceNanos) / 1_000_000,
        (nowNanos - sinceNanos) / 1_000_000,
        range.length() * 8 / flowing / 1e6);
  }

  /** Stops the flow at once; no handler is called afterwards. */
  void cancel() {
    flow.cancel();
  }
}
