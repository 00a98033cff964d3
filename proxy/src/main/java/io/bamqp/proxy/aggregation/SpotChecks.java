package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Home's spot checks of a neighbor's bytes ({@code aggregation.spotCheckRatio}): for a share of the
 * ranges a neighbor serves, one random block of {@value #BLOCK_BYTES} bytes is kept as it arrives,
 * fetched again over the home line, and compared. A neighbor can sign bytes it altered (its
 * signature proves only who sent them); a spot check catches that. A mismatch is reported once per
 * check through {@code mismatch}; the session then quarantines the neighbor and never completes the
 * response normally, which is why it waits for {@link #settled} checks before its last byte.
 *
 * <p>Confined to the session's event loop.
 */
final class SpotChecks {
  /** The block re-fetched per checked range. */
  static final int BLOCK_BYTES = 16 * 1024;

  private final double ratio;
  private final RandomGenerator random;
  private final ByteSource home;
  private final Mismatch mismatch;
  private final List<Check> capturing = new ArrayList<>();
  private int pending;
  private Runnable whenSettled;

  /** What the session hears when a neighbor's bytes differ from the origin's. */
  interface Mismatch {
    void found(int sourceId, long offset);
  }

  /**
   * One block to capture. Each checked range has two: the random block, and its first block as a
   * fallback, compared only if the range stops before the random block was captured, so that a
   * neighbor cannot escape a check by resetting once it has delivered altered bytes.
   */
  private static final class Check {
    final int sourceId;
    final ByteRange range;
    final ByteRange block;
    final boolean fallback;
    final Buffer seen = Buffer.buffer(BLOCK_BYTES);

    Check(int sourceId, ByteRange range, ByteRange block, boolean fallback) {
      this.sourceId = sourceId;
      this.range = range;
      this.block = block;
      this.fallback = fallback;
    }

    boolean captured() {
      return seen.length() == block.length();
    }

    boolean sameRange(Check other) {
      return other.sourceId == sourceId && other.range.equals(range);
    }
  }

  SpotChecks(double ratio, RandomGenerator random, ByteSource home, Mismatch mismatch) {
    this.ratio = ratio;
    this.random = random;
    this.home = home;
    this.mismatch = mismatch;
  }

  /** A neighbor starts serving {@code range} (absolute offsets): check it, maybe. */
  void rangeStarted(int sourceId, ByteRange range) {
    if (ratio <= 0 || random.nextDouble() >= ratio) {
      return;
    }
    long length = Math.min(BLOCK_BYTES, range.length());
    long first = range.first() + random.nextLong(range.length() - length + 1);
    capturing.add(new Check(sourceId, range, new ByteRange(first, first + length - 1), false));
    if (first != range.first()) {
      ByteRange head = new ByteRange(range.first(), range.first() + length - 1);
      capturing.add(new Check(sourceId, range, head, true));
    }
  }

  /** {@code data} arrived from {@code sourceId} at absolute {@code offset}. */
  void received(int sourceId, long offset, Buffer data) {
    if (capturing.isEmpty()) {
      return;
    }
    boolean completed = false;
    Iterator<Check> checks = capturing.iterator();
    while (checks.hasNext()) {
      Check check = checks.next();
      long wanted = check.block.first() + check.seen.length();
      long end = offset + data.length();
      if (check.sourceId != sourceId || check.captured() || wanted < offset || wanted >= end) {
        continue;
      }
      long upTo = Math.min(end, check.block.last() + 1);
      check.seen.appendBuffer(data, (int) (wanted - offset), (int) (upTo - wanted));
      completed |= !check.fallback && check.captured();
    }
    if (!completed) {
      return; // the common case, on every buffer of a checked range: nothing to compare yet
    }
    List<Check> done = new ArrayList<>();
    for (Check check : capturing) {
      if (!check.fallback && check.captured()) {
        done.add(check);
      }
    }
    for (Check check : done) {
      // The random block is whole: compare it, and the range's fallback is not needed.
      capturing.removeIf(other -> other.sameRange(check));
      compare(check);
    }
  }

  /**
   * {@code sourceId}'s {@code range} ended early (failed, cancelled): what it delivered of the
   * random block is compared, or else what it delivered of the range's first block.
   */
  void rangeStopped(int sourceId, ByteRange range) {
    Check primary = null;
    Check fallback = null;
    for (Iterator<Check> it = capturing.iterator(); it.hasNext(); ) {
      Check check = it.next();
      if (check.sourceId == sourceId && check.range.equals(range)) {
        it.remove();
        if (check.fallback) {
          fallback = check;
        } else {
          primary = check;
        }
      }
    }
    Check delivered = primary != null && primary.seen.length() > 0 ? primary : fallback;
    if (delivered == null && primary != null && primary.block.first() == range.first()) {
      delivered = primary;
    }
    if (delivered != null && delivered.seen.length() > 0) {
      compare(delivered);
    }
  }

  /** Checks whose home fetch has not answered yet. */
  int pending() {
    return pending;
  }

  /** Runs {@code then} once no check is pending (at once if none is). */
  void settled(Runnable then) {
    if (pending == 0) {
      then.run();
    } else {
      whenSettled = then;
    }
  }

  private void compare(Check check) {
    pending++;
    Buffer origin = Buffer.buffer(BLOCK_BYTES);
    // A range that stopped early is compared on the part of the block it delivered.
    ByteRange asked =
        new ByteRange(check.block.first(), check.block.first() + check.seen.length() - 1);
    home.open(asked)
        .onSuccess(
            flow -> {
              flow.handler(origin::appendBuffer);
              flow.exceptionHandler(failure -> done());
              flow.endHandler(
                  end -> {
                    if (!origin.equals(check.seen)) {
                      mismatch.found(check.sourceId, firstDifference(origin, check));
                    }
                    done();
                  });
              flow.resume();
            })
        // The home line could not say: the check is inconclusive, not a verdict on the neighbor.
        .onFailure(failure -> done());
  }

  private long firstDifference(Buffer origin, Check check) {
    int i = 0;
    int n = Math.min(origin.length(), check.seen.length());
    while (i < n && origin.getByte(i) == check.seen.getByte(i)) {
      i++;
    }
    return check.block.first() + i;
  }

  private void done() {
    pending--;
    if (pending == 0 && whenSettled != null) {
      Runnable then = whenSettled;
      whenSettled = null;
      then.run();
    }
  }
}
