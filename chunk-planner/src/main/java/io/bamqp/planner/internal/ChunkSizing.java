package io.bamqp.planner.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How big the next range for a source is.
 *
 * <p>A chunk lasts the same time on every source, so it is proportional to the source's rate and
 * chunks handed out together finish together. That time is at least {@link #MIN_CHUNK_NANOS} and
 * {@link #RTT_MULTIPLE} round trips, and at most what the reorder window allows: while the oldest
 * chunk is still arriving, every source keeps fetching one chunk plus one lead ahead of it, so
 * {@code 2 x chunk + lead} of the aggregate rate must fit in the window. Near the end of the file
 * the remainder is shared by water-filling, so that every source, free at its own time, finishes at
 * the same instant.
 */
final class ChunkSizing {

  /** Shortest chunk, in time, when the window allows it: 500 ms. */
  static final long MIN_CHUNK_NANOS = 500_000_000L;

  /** A chunk lasts at least this many round trips, so the RTT is a small part of it. */
  static final int RTT_MULTIPLE = 8;

  /** The next chunk is asked for this long, plus one RTT, before the current one ends: 100 ms. */
  static final long PIPELINE_MARGIN_NANOS = 100_000_000L;

  /** Smallest range worth a request, except the very last one: 64 KiB. */
  static final long MIN_PIECE_BYTES = 64L << 10;

  /** Share of the window the chunk time is planned against; the rest absorbs estimate errors. */
  static final double WINDOW_SAFETY = 0.8;

  /** A window-clipped range is issued only once it is at least this part of a full chunk. */
  static final int WINDOW_PIECE_DIVISOR = 4;

  private static final double NANOS_PER_SECOND = 1e9;

  private long bufferBytes;

  ChunkSizing(long bufferBytes) {
    this.bufferBytes = bufferBytes;
  }

  /** The reorder window is now {@code bytes}. */
  void resize(long bytes) {
    this.bufferBytes = bytes;
  }

  /** How long before its backlog drains a source is given its next range. */
  static long leadNanos(SourceState s) {
    return s.rttNanos + PIPELINE_MARGIN_NANOS;
  }

  /** The longest chunk, in time, that the window allows for these sources. */
  long windowCapNanos(List<SourceState> active) {
    double totalRate = 0;
    long maxLead = 0;
    for (SourceState s : active) {
      totalRate += s.bytesPerSec();
      maxLead = Math.max(maxLead, leadNanos(s));
    }
    double windowNanos = bufferBytes * NANOS_PER_SECOND / totalRate;
    return (long) Math.max(0, WINDOW_SAFETY * (windowNanos - maxLead) / 2);
  }

  /** A full chunk for {@code s}, in bytes. */
  long chunkBytes(SourceState s, long capNanos) {
    long nanos = Math.min(capNanos, Math.max(MIN_CHUNK_NANOS, RTT_MULTIPLE * s.rttNanos));
    return Math.max(MIN_PIECE_BYTES, s.rate.bytesIn(nanos));
  }

  /**
   * The size of the next new range for {@code s}, or 0 if it should get none now: other sources
   * will finish the rest sooner, or the window has too little room.
   *
   * @param unassigned bytes never assigned yet, {@code > 0}
   * @param slack room left in the window, {@code > 0}
   */
  long nextRange(SourceState s, List<SourceState> active, long unassigned, long slack, long now) {
    long chunk = chunkBytes(s, windowCapNanos(active));
    long enough = Math.min(unassigned, Math.max(MIN_PIECE_BYTES, chunk / WINDOW_PIECE_DIVISOR));
    if (slack < enough) {
      return 0; // wait for the client to make room rather than ask for a sliver
    }
    double share = fairShare(s, active, unassigned, now);
    if (share <= 0) {
      return 0;
    }
    long size = Math.min(chunk, Math.max((long) Math.ceil(share), MIN_PIECE_BYTES));
    size = Math.min(size, unassigned);
    if (unassigned - size < MIN_PIECE_BYTES) {
      size = unassigned; // leave no crumb that would cost a request of its own
    }
    return Math.min(size, slack);
  }

  /**
   * Water-filling: the bytes {@code s} should fetch so that all active sources, each starting when
   * it is free, finish {@code unassigned} bytes at the same time.
   */
  static double fairShare(SourceState s, List<SourceState> active, long unassigned, long now) {
    // While every source is free before the common finish, that finish has a closed form.
    double rate = 0;
    double weighted = 0;
    double latest = 0;
    for (SourceState x : active) {
      double free = (x.freeAt(now) - now) / NANOS_PER_SECOND;
      rate += x.bytesPerSec();
      weighted += x.bytesPerSec() * free;
      latest = Math.max(latest, free);
    }
    double finish = (unassigned + weighted) / rate;
    if (finish < latest) {
      finish = finishBySortedFill(active, unassigned, now);
    }
    return s.bytesPerSec() * (finish - (s.freeAt(now) - now) / NANOS_PER_SECOND);
  }

  /** The common finish, in seconds from now, when some sources would not even start. */
  private static double finishBySortedFill(List<SourceState> active, long unassigned, long now) {
    double[][] freeAndRate = new double[active.size()][];
    for (int i = 0; i < freeAndRate.length; i++) {
      SourceState x = active.get(i);
      freeAndRate[i] = new double[] {(x.freeAt(now) - now) / NANOS_PER_SECOND, x.bytesPerSec()};
    }
    Arrays.sort(freeAndRate, Comparator.comparingDouble(fr -> fr[0]));
    double rate = 0;
    double weighted = 0;
    double finish = 0;
    for (int i = 0; i < freeAndRate.length; i++) {
      rate += freeAndRate[i][1];
      weighted += freeAndRate[i][1] * freeAndRate[i][0];
      finish = (unassigned + weighted) / rate;
      if (i + 1 == freeAndRate.length || finish <= freeAndRate[i + 1][0]) {
        break;
      }
    }
    return finish;
  }
}
