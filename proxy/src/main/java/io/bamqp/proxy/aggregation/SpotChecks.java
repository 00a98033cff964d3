package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Home's spot checks of its neighbors' bytes ({@code aggregation.spotCheckRatio}). A neighbor can
 * sign bytes it altered (its signature proves only who sent them), so of every range a neighbor
 * serves, the {@link SamplePlan} picks blocks; each block is hashed as it arrives (no copy) and the
 * same bytes are fetched from the origin by a <em>checker</em>, hashed and compared. The checker is
 * another neighbor of the download (a separate check job: no home-line bytes), or the home line
 * when there is none, within {@link SamplePlan#HOME_LINE_FRACTION} of the download. When a neighbor
 * checker disagrees, the home line fetches the block to tell which of the two lied.
 *
 * <p>A range with checks not yet settled is held: {@link #holdFrom} tells the session where the
 * client must wait, so bytes that fail a check never reach it. While a neighbor is on probation
 * (not yet {@link SamplePlan#probationBytes} compared clean in this download) its bytes may be held
 * as well, so a liar caught on probation is repaired from other sources instead of the client being
 * reset.
 *
 * <p>Confined to the session's event loop.
 */
final class SpotChecks {
  /** A check that has not answered by then is inconclusive: it neither clears nor accuses. */
  static final long CHECK_TIMEOUT_MILLIS = 10_000;

  /** Whoever fetches a block from the origin to compare. */
  record Checker(int sourceId, boolean homeLine, ByteSource source) {}

  /** What the checks need from the download, and what they tell it. */
  interface Team {
    /** Who checks {@code sourceId}'s bytes: another neighbor, or the home line. */
    Checker checkerFor(int sourceId);

    /** The neighbor's clean history in bytes ({@link Neighbor#cleanBytes}). */
    long cleanHistory(int sourceId);

    /** {@code sourceId} sent bytes that differ from the origin's. Called once per source. */
    void caught(int sourceId, String reason);

    /** A check settled: the client may be able to move on. */
    void settled();
  }

  private final SamplePlan plan;
  private final Vertx vertx;
  private final ByteSource home;
  private final Team team;
  private final Map<Integer, Tally> tallies = new HashMap<>();
  private final List<RangeCheck> open = new ArrayList<>();
  private final Set<Integer> caught = new HashSet<>();
  private long homeBudget;
  private long homeBytes;
  private int pending;
  private Runnable whenSettled;

  /** One neighbor in this download: its probation and what it delivered. */
  private static final class Tally {
    final long probation;
    long comparedClean;
    boolean gone;
    long verified;
    final List<long[]> delivered = new ArrayList<>(); // {first, end exclusive}, absolute

    Tally(long probation) {
      this.probation = probation;
    }

    boolean onProbation() {
      return comparedClean < probation;
    }
  }

  /** The checks of one range a neighbor serves. */
  private static final class RangeCheck {
    final int sourceId;
    final ByteRange range;
    final Checker checker;
    final long[] deliveredEnd;
    List<ByteRange> blocks;

    /** The blocks as planned, and the checker's hash of each, asked for when the range started. */
    final List<ByteRange> planned;

    final List<Future<List<byte[]>>> fetched = new ArrayList<>();

    int cursor;
    BlockHash hashing = new BlockHash();
    int comparing;
    boolean failed;
    boolean dropped;
    boolean stopped;

    RangeCheck(int sourceId, ByteRange range, Checker checker, List<ByteRange> blocks, long[] end) {
      this.sourceId = sourceId;
      this.range = range;
      this.checker = checker;
      this.blocks = blocks;
      this.planned = List.copyOf(blocks);
      this.deliveredEnd = end;
    }

    boolean settled() {
      return cursor == blocks.size() && comparing == 0;
    }

    long delivered() {
      return deliveredEnd[1] - range.first();
    }
  }

  /**
   * @param downloadBytes the bytes the client gets, which bound the home line's share of checks
   */
  SpotChecks(SamplePlan plan, long downloadBytes, Vertx vertx, ByteSource home, Team team) {
    this.plan = plan;
    this.vertx = vertx;
    this.home = home;
    this.team = team;
    this.homeBudget = SamplePlan.homeBudget(downloadBytes);
  }

  /** A neighbor starts serving {@code range} (absolute offsets): plan its checks. */
  void rangeStarted(int sourceId, ByteRange range) {
    if (caught.contains(sourceId)) {
      return;
    }
    Tally tally =
        tallies.computeIfAbsent(
            sourceId, id -> new Tally(plan.probationBytes(team.cleanHistory(id))));
    long[] delivered = {range.first(), range.first()};
    tally.delivered.add(delivered);
    Checker checker = team.checkerFor(sourceId);
    long stillOnProbation = tally.probation - tally.comparedClean - plannedBytes(sourceId);
    List<ByteRange> blocks =
        plan.blocks(range, stillOnProbation, checker.homeLine() ? homeBudget : Long.MAX_VALUE);
    if (checker.homeLine()) {
      homeBudget -= bytes(blocks);
    }
    if (!blocks.isEmpty()) {
      RangeCheck check =
          new RangeCheck(sourceId, range, checker, new ArrayList<>(blocks), delivered);
      open.add(check);
      // The checker fetches the blocks now, alongside the neighbor's range, not after it: the
      // range is held only until the later of the two arrives, not for a second transfer. The
      // home line too: asked only once a block had arrived, it held the range (and with it the
      // client, and the download's window) a home-line round trip past its last byte, which
      // stalled the neighbors of downloads sharing that line.
      for (ByteRange block : blocks) {
        check.fetched.add(fetch(checker, block));
      }
    }
  }

  /** {@code data} arrived from {@code sourceId} at absolute {@code offset}, in range order. */
  void received(int sourceId, long offset, Buffer data) {
    long end = offset + data.length();
    Tally tally = tallies.get(sourceId);
    if (tally == null) {
      return;
    }
    for (int i = tally.delivered.size() - 1; i >= 0; i--) {
      long[] span = tally.delivered.get(i);
      if (span[1] == offset) {
        span[1] = end;
        break;
      }
    }
    for (int i = 0; i < open.size(); i++) {
      RangeCheck check = open.get(i);
      if (check.sourceId == sourceId && check.range.contains(offset)) {
        capture(check, offset, data);
        return;
      }
    }
  }

  private void capture(RangeCheck check, long offset, Buffer data) {
    long end = offset + data.length();
    while (check.cursor < check.blocks.size()) {
      ByteRange block = check.blocks.get(check.cursor);
      if (block.first() >= end) {
        return;
      }
      long from = Math.max(block.first(), offset);
      long to = Math.min(block.last() + 1, end);
      if (to > from) {
        // The buffer's own memory, not a copy: only sampled bytes are hashed.
        check.hashing.update(data, (int) (from - offset), (int) (to - from));
      }
      if (to <= block.last()) {
        return;
      }
      check.cursor++;
      compare(check, block, check.hashing.finish());
    }
  }

  /**
   * {@code sourceId}'s {@code range} ended early (failed, cancelled): the block it was sending is
   * compared on what it delivered of it, and blocks it never reached are dropped. The first block
   * starts the range, so a range that delivered anything is compared on something.
   */
  void rangeStopped(int sourceId, ByteRange range) {
    for (RangeCheck check : open) {
      if (check.sourceId != sourceId || !check.range.equals(range) || check.dropped) {
        continue;
      }
      check.stopped = true;
      long reached = check.range.first() + check.delivered();
      List<ByteRange> kept = new ArrayList<>(check.blocks.subList(0, check.cursor));
      if (check.cursor < check.blocks.size()) {
        ByteRange block = check.blocks.get(check.cursor);
        if (reached > block.first()) {
          ByteRange part = new ByteRange(block.first(), reached - 1);
          kept.add(part);
          check.blocks = kept;
          check.cursor = kept.size();
          compare(check, part, check.hashing.finish());
          return;
        }
      }
      check.blocks = kept;
      if (check.settled()) {
        settle(check);
      }
      return;
    }
  }

  /**
   * Where the client must stop (absolute offset; {@code Long.MAX_VALUE} when nowhere): the first
   * byte of a neighbor's range whose checks have not all passed, and, when {@code probation}, the
   * first unwritten byte of a neighbor still on probation.
   *
   * @param written the absolute offset the client has been written up to
   */
  long holdFrom(long written, boolean probation) {
    long hold = Long.MAX_VALUE;
    for (RangeCheck check : open) {
      if (!check.dropped && check.delivered() > 0) {
        hold = Math.min(hold, check.range.first());
      }
    }
    if (probation) {
      for (Map.Entry<Integer, Tally> entry : tallies.entrySet()) {
        if (caught.contains(entry.getKey())
            || entry.getValue().gone
            || !entry.getValue().onProbation()) {
          continue;
        }
        for (long[] span : entry.getValue().delivered) {
          if (span[1] > written && span[1] > span[0]) {
            hold = Math.min(hold, Math.max(span[0], written));
          }
        }
      }
    }
    return hold;
  }

  /**
   * {@code sourceId} left the download (failed or stalled): its probation can no longer end, so it
   * holds the client no more; its ranges' open checks still hold them until they answer.
   */
  void sourceGone(int sourceId) {
    Tally tally = tallies.get(sourceId);
    if (tally != null) {
      tally.gone = true;
    }
  }

  /**
   * Stops checking a caught neighbor and answers the spans it delivered (absolute, end exclusive):
   * what may carry its altered bytes.
   */
  List<long[]> forget(int sourceId) {
    caught.add(sourceId);
    for (Iterator<RangeCheck> it = open.iterator(); it.hasNext(); ) {
      RangeCheck check = it.next();
      if (check.sourceId == sourceId) {
        check.dropped = true;
        pending -= check.comparing;
        it.remove();
      }
    }
    Tally tally = tallies.get(sourceId);
    List<long[]> spans = new ArrayList<>();
    if (tally != null) {
      for (long[] span : tally.delivered) {
        if (span[1] > span[0]) {
          spans.add(span.clone());
        }
      }
    }
    if (pending == 0) {
      runWhenSettled();
    }
    return spans;
  }

  /** Delivered bytes of {@code sourceId} in ranges whose checks all passed. */
  long verifiedBytes(int sourceId) {
    Tally tally = tallies.get(sourceId);
    return tally == null || caught.contains(sourceId) ? 0 : tally.verified;
  }

  /** Bytes of {@code sourceId} compared equal to the origin's, for its history; 0 once caught. */
  long comparedCleanOf(int sourceId) {
    return caught.contains(sourceId) ? 0 : comparedClean(sourceId);
  }

  /** Bytes of {@code sourceId} compared equal to the origin's so far. */
  long comparedClean(int sourceId) {
    Tally tally = tallies.get(sourceId);
    return tally == null ? 0 : tally.comparedClean;
  }

  /** Bytes the home line has re-fetched for checks (arbitrations included). */
  long homeBytes() {
    return homeBytes;
  }

  /** Checks whose checker has not answered yet. */
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

  private long plannedBytes(int sourceId) {
    long planned = 0;
    for (RangeCheck check : open) {
      if (check.sourceId == sourceId) {
        planned += bytes(check.blocks);
      }
    }
    return planned;
  }

  private void compare(RangeCheck check, ByteRange block, List<byte[]> seen) {
    check.comparing++;
    pending++;
    check.hashing = new BlockHash();
    int index = check.cursor - 1;
    if (index >= check.fetched.size()) {
      compare(check, check.checker, block, seen, null);
    } else if (block.equals(check.planned.get(index))) {
      compare(check, check.checker, block, seen, check.fetched.get(index));
    } else {
      compare(check, check.checker, block, seen, cutShort(check, block, index));
    }
  }

  /**
   * The origin's hashes of a block cut short by a range that stopped (it delivered {@code block},
   * the start of planned block {@code index}): its whole parts are those of the planned block,
   * already asked for; only a short last part is fetched, so a range that stops costs the checker
   * at most one part more.
   */
  private Future<List<byte[]>> cutShort(RangeCheck check, ByteRange block, int index) {
    int wholeParts = (int) (block.length() / BlockHash.PART_BYTES);
    Future<List<byte[]>> prefix =
        check.fetched.get(index).map(parts -> List.copyOf(parts.subList(0, wholeParts)));
    if (block.length() % BlockHash.PART_BYTES == 0) {
      return prefix;
    }
    ByteRange tail =
        new ByteRange(block.first() + (long) wholeParts * BlockHash.PART_BYTES, block.last());
    if (check.checker.homeLine()) {
      homeBudget -= tail.length(); // past the budget by one part at most, never unchecked
    }
    Future<List<byte[]>> last = fetch(check.checker, tail);
    return Future.all(prefix, last)
        .map(
            both -> {
              List<byte[]> parts = new ArrayList<>(prefix.result());
              parts.addAll(last.result());
              return parts;
            });
  }

  private void compare(
      RangeCheck check,
      Checker checker,
      ByteRange block,
      List<byte[]> seen,
      Future<List<byte[]>> fetched) {
    Future<List<byte[]>> answer = fetched == null ? fetch(checker, block) : fetched;
    answer.onComplete(
        origin -> {
          if (check.dropped) {
            return;
          }
          if (origin.failed() && !checker.homeLine() && homeBudget >= block.length()) {
            // The checking neighbor could not say (declined, gone, too slow): the home line
            // checks instead, within its budget.
            homeBudget -= block.length();
            compare(check, new Checker(-1, true, home), block, seen, null);
          } else if (origin.failed()) {
            // Nobody could say: inconclusive, not a verdict on the neighbor.
            answered(check);
          } else if (BlockHash.same(origin.result(), seen)) {
            tallies.get(check.sourceId).comparedClean += block.length();
            answered(check);
          } else if (checker.homeLine()) {
            accuse(check, check.sourceId, block, "home line");
          } else {
            arbitrate(check, block, seen, origin.result());
          }
        });
  }

  /** The checker's hashes of the origin's {@code block}, counted when the home line fetches it. */
  private Future<List<byte[]>> fetch(Checker checker, ByteRange block) {
    if (checker.homeLine()) {
      homeBytes += block.length();
    }
    return hashOf(checker.source(), block);
  }

  /**
   * A neighbor checker disagrees with the neighbor: the home line fetches the first part where they
   * differ and says which of them lied.
   */
  private void arbitrate(RangeCheck check, ByteRange block, List<byte[]> seen, List<byte[]> told) {
    ByteRange part = BlockHash.firstDifference(block, seen, told);
    int index = (int) ((part.first() - block.first()) / BlockHash.PART_BYTES);
    homeBytes += part.length();
    hashOf(home, part)
        .onComplete(
            origin -> {
              if (check.dropped) {
                return;
              }
              if (origin.succeeded()
                  && index < seen.size()
                  && BlockHash.same(origin.result(), List.of(seen.get(index)))) {
                // The neighbor was right: the checker lied about the origin's bytes.
                blame(check.checker.sourceId(), block, "a neighbor it checked");
                answered(check);
              } else {
                // The home line agrees with the checker, or cannot say: the neighbor's bytes are
                // not released either way.
                accuse(check, check.sourceId, block, "another neighbor and the home line");
              }
            });
  }

  private void accuse(RangeCheck check, int sourceId, ByteRange block, String by) {
    check.failed = true;
    // Blamed before the check counts as answered: the session must hear of the liar before it may
    // release anything the settled check held.
    blame(sourceId, block, by);
    answered(check);
  }

  private void blame(int sourceId, ByteRange block, String by) {
    if (!caught.add(sourceId)) {
      return;
    }
    team.caught(
        sourceId,
        "its bytes "
            + block.first()
            + "-"
            + block.last()
            + " differ from the origin's (checked by "
            + by
            + ")");
  }

  private void answered(RangeCheck check) {
    if (check.dropped) {
      return;
    }
    check.comparing--;
    pending--;
    if (check.settled()) {
      settle(check);
    }
    team.settled();
    if (pending == 0) {
      runWhenSettled();
    }
  }

  private void settle(RangeCheck check) {
    open.remove(check);
    if (!check.failed) {
      // A whole range was sampled over its length, even if its last bytes are still on their way.
      tallies.get(check.sourceId).verified +=
          check.stopped ? check.delivered() : check.range.length();
    }
  }

  private void runWhenSettled() {
    if (whenSettled != null) {
      Runnable then = whenSettled;
      whenSettled = null;
      then.run();
    }
  }

  /**
   * The SHA-256 of {@code block} as {@code source} fetches it, or a failure, within {@link
   * #CHECK_TIMEOUT_MILLIS} (timed on the caller's event loop).
   */
  private Future<List<byte[]>> hashOf(ByteSource source, ByteRange block) {
    Promise<List<byte[]>> hashed = Promise.promise();
    long timer =
        vertx.setTimer(CHECK_TIMEOUT_MILLIS, late -> hashed.tryFail("the checker did not answer"));
    Future<Flow> opened;
    try {
      opened = source.open(block);
    } catch (RuntimeException e) {
      opened = Future.failedFuture(e);
    }
    opened
        .onFailure(hashed::tryFail)
        .onSuccess(
            flow -> {
              if (hashed.future().isComplete()) {
                flow.cancel();
                return;
              }
              BlockHash digest = new BlockHash();
              flow.handler(data -> digest.update(data, 0, data.length()));
              flow.exceptionHandler(hashed::tryFail);
              flow.endHandler(
                  end -> {
                    if (digest.length() == block.length()) {
                      hashed.tryComplete(digest.finish());
                    } else {
                      hashed.tryFail("the checker sent " + digest.length() + " bytes");
                    }
                  });
              flow.resume();
            });
    return hashed.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private static long bytes(List<ByteRange> blocks) {
    long sum = 0;
    for (ByteRange block : blocks) {
      sum += block.length();
    }
    return sum;
  }
}
