package io.bamqp.planner.internal;

import io.bamqp.planner.Action.Assign.Purpose;
import io.bamqp.planner.ByteRange;

/** One live assignment and how far its delivery got. */
final class Assignment {
  final long id;
  final SourceState source;
  final ByteRange range;
  final Purpose purpose;
  final long issuedAt;
  long delivered;

  /** The other copy of a hedged range, or {@code null}. */
  Assignment twin;

  /** Offset below which a copy that is gone already delivered the bytes of this range. */
  long arrivedElsewhereUpTo;

  Assignment(long id, SourceState source, ByteRange range, Purpose purpose, long issuedAt) {
    this.id = id;
    this.source = source;
    this.range = range;
    this.purpose = purpose;
    this.issuedAt = issuedAt;
  }

  /** Offset of the first byte not yet delivered. */
  long next() {
    return range.first() + delivered;
  }

  long remaining() {
    return range.length() - delivered;
  }

  boolean isDone() {
    return delivered == range.length();
  }

  /**
   * When its first byte can arrive: one RTT after it was asked for, at once for the open response.
   */
  long earliestFirstByte() {
    return purpose == Purpose.INITIAL_RESPONSE ? issuedAt : issuedAt + source.rttNanos;
  }

  /** Offset of the first byte of the range that no copy, live or gone, has delivered. */
  long firstMissing() {
    long missing = Math.max(next(), arrivedElsewhereUpTo);
    return twin == null ? missing : Math.max(missing, twin.next());
  }

  @Override
  public String toString() {
    return "#" + id + "@" + source.id + range + "+" + delivered;
  }
}
