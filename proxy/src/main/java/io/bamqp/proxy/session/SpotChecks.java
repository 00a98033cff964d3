package io.bamqp.proxy.session;

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

  private static final class Check {
    final int sourceId;
    final ByteRange block;
    final Buffer seen = Buffer.buffer(BLOCK_BYTES);

    Check(int sourceId, ByteRange block) {
      this.sourceId = sourceId;
      this.block = block;
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
    capturing.add(new Check(sourceId, new ByteRange(first, first + length - 1)));
  }

  /** {@code data} arrived from {@code sourceId} at absolute {@code offset}. */
  void received(int sourceId, long offset, Buffer data) {
    if (capturing.isEmpty()) {
      return;
    }
    Iterator<Check> checks = capturing.iterator();
    while (checks.hasNext()) {
      Check check = checks.next();
      long wanted = check.block.first() + check.seen.length();
      long end = offset + data.length();
      if (check.sourceId != sourceId || wanted < offset || wanted >= end) {
        continue;
      }
      long upTo = Math.min(end, check.block.last() + 1);
      check.seen.appendBuffer(data, (int) (wanted - offset), (int) (upTo - wanted));
      if (check.seen.length() == check.block.length()) {
        checks.remove();
        compare(check);
      }
    }
  }

  /** {@code sourceId}'s {@code range} ended early (failed, cancelled): its checks are void. */
  void rangeStopped(int sourceId, ByteRange range) {
    capturing.removeIf(
        check ->
            check.sourceId == sourceId
                && check.block.first() >= range.first()
                && check.block.last() <= range.last());
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
    home.open(check.block)
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
