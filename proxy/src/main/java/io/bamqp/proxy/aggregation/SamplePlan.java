package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * How many bytes of a neighbor's range home samples, and where: the arithmetic of the spot checks.
 *
 * <p>Against a neighbor that alters at least one byte per MiB at places it chooses at random, each
 * sampled byte covers an altered one with chance 1/MiB, so a sample of {@code S} bytes misses them
 * all with chance {@code exp(-S / MiB)}: catching it in 99.5% of downloads takes {@code ln(200)}
 * MiB, about 5.3 MiB, of its bytes compared, whatever the block size. That is {@link
 * #PROBATION_BYTES}: a new neighbor's first bytes are compared whole until that much of it has been
 * compared clean (front-loaded, so that a liar is caught before its bytes reach the client, and a
 * neighbor with a small share is compared whole), then {@link #FLOOR_FRACTION} of each range, so
 * the sample keeps growing with the neighbor's share. The probation is once per neighbor, not once
 * per download: bytes of it compared clean in earlier downloads that completed (its history, this
 * node's life) count towards it. Paying it in every download cost the demo its speed-up: 5.3 MiB
 * for each of three neighbors is a third of a 48 MiB download on their lines.
 *
 * <p>A range compared whole is one block. Otherwise blocks are spread over the range: it is cut
 * into as many equal strata as blocks (at most {@link #MAX_BLOCKS_PER_RANGE}, each at least {@link
 * #BLOCK_BYTES}), with one block at a random place in each (the first at the range's start, so a
 * range that stops early has always delivered part of a sampled block). When the home line is the
 * checker, its re-fetches are held to {@link #HOME_LINE_FRACTION} of the download.
 */
final class SamplePlan {
  static final long MIB = 1L << 20;

  /** The block a check compares; detection depends on the bytes sampled, not on this size. */
  static final int BLOCK_BYTES = 32 * 1024;

  /** The chance a neighbor altering one byte per MiB of its bytes goes unnoticed, at most. */
  static final double MISS_CHANCE = 0.005;

  /** Bytes of a new neighbor compared clean before it leaves probation. */
  static final long PROBATION_BYTES = (long) Math.ceil(Math.log(1 / MISS_CHANCE) * MIB);

  /** Blocks per range at most: a large sample is taken in larger blocks, not more fetches. */
  static final int MAX_BLOCKS_PER_RANGE = 16;

  /** The share of every range sampled after probation. */
  static final double FLOOR_FRACTION = 1.0 / 32;

  /** What spot checks may re-fetch over the home line, as a share of the download. */
  static final double HOME_LINE_FRACTION = 0.02;

  private final double scale;
  private final RandomGenerator random;

  /**
   * @param scale {@code aggregation.spotCheckRatio}: 1 for the plan above, less to sample less, 0
   *     for none
   */
  SamplePlan(double scale, RandomGenerator random) {
    this.scale = scale;
    this.random = random;
  }

  /**
   * The bytes of a neighbor still to compare whole before its probation ends, when {@code
   * cleanBytes} of it were compared clean in earlier downloads.
   */
  long probationBytes(long cleanBytes) {
    return Math.max(0, (long) Math.ceil(PROBATION_BYTES * scale) - Math.max(0, cleanBytes));
  }

  /**
   * The blocks to compare of {@code range}, lowest first.
   *
   * @param stillOnProbation bytes of this neighbor still to compare before its probation ends
   * @param homeBudget bytes the home line may still re-fetch when it is the checker, else {@code
   *     Long.MAX_VALUE}
   */
  List<ByteRange> blocks(ByteRange range, long stillOnProbation, long homeBudget) {
    if (scale <= 0) {
      return List.of();
    }
    long length = range.length();
    long least =
        Math.max(Math.min(BLOCK_BYTES, length), (long) Math.ceil(length * FLOOR_FRACTION * scale));
    long wanted = Math.max(least, Math.min(length, stillOnProbation));
    wanted = Math.min(Math.min(wanted, length), homeBudget);
    if (wanted <= 0) {
      return List.of();
    }
    // A range compared whole is one fetch for the checker; a sample is spread in blocks.
    long block =
        wanted == length
            ? length
            : Math.min(length, Math.max(BLOCK_BYTES, ceilDiv(wanted, MAX_BLOCKS_PER_RANGE)));
    long count = Math.max(1, Math.min(ceilDiv(wanted, block), length / block));
    if (count * block > homeBudget) {
      count = homeBudget / block;
      if (count == 0) {
        count = 1;
        block = homeBudget; // the home line's last budget
      }
    }
    List<ByteRange> blocks = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      long from = range.first() + length * i / count;
      long to = range.first() + length * (i + 1) / count; // exclusive; at least one block long
      long first = i == 0 ? from : from + random.nextLong(to - from - block + 1);
      blocks.add(new ByteRange(first, first + block - 1));
    }
    return blocks;
  }

  /** The home line's budget for spot checks of a download of {@code bytes}. */
  static long homeBudget(long bytes) {
    return (long) (bytes * HOME_LINE_FRACTION);
  }

  private static long ceilDiv(long value, long by) {
    return (value + by - 1) / by;
  }
}
